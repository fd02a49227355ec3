#!/usr/bin/perl
# name-attrs.pl - adds origin= (and for first names dec=) attributes to
# rules/sv/first-names.tsv and rules/sv/surnames.tsv, in place.
#
#   perl scripts/name-attrs.pl rules/sv/first-names.tsv rules/sv/surnames.tsv
#
# Line order, comments and other attributes are kept; origin= and dec= are
# recomputed, so the script can be run again after entries are added.
# origin= lists the language or region groups a name is common in (several
# allowed), dec= the decades of birth in which a first name was among the
# common ones in Sweden.  Both come from the tables and spelling rules
# below, written from Statistics Sweden's published name statistics (the
# most common first names by year of birth, the most common surnames) and
# general knowledge of naming in each language; see rules/sv/GAZETTEERS.md.
# A name the rules do not place gets no origin= and counts as unknown.
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));

# Codes: sv Swedish, fi Finnish, no Norwegian/Danish, ar Arabic, syr
# Assyrian/Syriac, fa Persian/Dari, ku Kurdish, tr Turkish, so Somali, ti
# Tigrinya/Amharic, afr other sub-Saharan African, bks Bosnian/Croatian/
# Serbian, sq Albanian, pl Polish, ru Russian/Ukrainian, lt Baltic, hu
# Hungarian, ro Romanian, el Greek, de German/Dutch, fr French, it Italian,
# es Spanish/Latin American, pt Portuguese/Brazilian, en English, sas South
# Asian, th Thai, vi Vietnamese, zh Chinese, ko Korean.

# ---- first names by decade (SCB: most common names by year of birth) ----
my %dec = (
	1920 => 'Karl Erik Gustav Nils Sven Olof Gösta Ernst Arne Folke Sture Gunnar Holger Harry Tage Rune Birger Bertil John Axel Carl Einar Helge Ragnar Allan Elof Valter Evert Hilding Ivar Maria Elsa Anna Margit Karin Greta Ingrid Maj Gunhild Ingeborg Astrid Signe Elin Ella Aina Britta Dagny Ester Alice Sonja Svea Gerd Märta Elvira Rut Ruth Linnea Edit Hildur Inga Elna Gunvor Ebba Vera Viola Agnes',
	1930 => 'Karl Erik Lars Sven Nils Gunnar Bengt Bertil Rolf Lennart Stig Åke Arne Rune Sture Ingvar Kurt Gösta Olle Göte Tage Hans Maria Anna Karin Margareta Ingrid Elisabeth Kerstin Birgitta Gunnel Britt Ulla Inga Märta Sonja Gun Majbritt Barbro Gunbritt Siv Ingegerd Gunvor Inger Elsie Gerd Astrid',
	1940 => 'Lars Karl Jan Bengt Bo Sven Hans Leif Lennart Göran Kjell Rolf Nils Per Anders Ulf Åke Sten Stig Bertil Kent Lars-Erik Jan-Erik Christer Bernt Kerstin Birgitta Margareta Ingrid Elisabeth Marianne Gunilla Ulla Britt Barbro Inger Eva Karin Anita Siv Gun Lena Kristina Christina Agneta Ann-Marie Gunnel Berit Yvonne Monica Mona Irene Solveig Ingegerd Maud',
	1950 => 'Lars Jan Anders Per Bo Hans Göran Mats Leif Lennart Kjell Ulf Peter Bengt Kent Christer Håkan Thomas Stefan Tommy Lars-Göran Anders Mikael Leif Eva Birgitta Kerstin Margareta Gunilla Marie Lena Anna Karin Agneta Ann Annika Christina Kristina Monica Inger Marianne Susanne Elisabeth Ann-Christin Gun Britt Ulla Ewa Maria Anita Mona Yvonne Catharina Ingela Åsa',
	1960 => 'Mats Peter Thomas Anders Magnus Stefan Mikael Jan Lars Ulf Håkan Per Johan Roger Jörgen Tommy Patrik Fredrik Daniel Henrik Michael Niklas Jonas Joakim Martin Ola Eva Anna Maria Karin Annika Åsa Susanne Helena Marie Ann Carina Lena Monica Ann-Christin Ulrika Catharina Camilla Pia Malin Linda Anneli Jeanette Katarina Petra Cecilia Lotta Maria Charlotte Sofia Therese Mia',
	1970 => 'Johan Andreas Fredrik Daniel Niklas Martin Mattias Magnus Patrik Jonas Henrik Peter Marcus Tobias Joakim Christian Stefan Mikael Anders Erik Thomas Jimmy Kristoffer Robert Emil Jenny Maria Anna Sara Linda Malin Emma Sofia Johanna Jessica Helena Camilla Therese Karolina Caroline Charlotte Annika Frida Susanne Åsa Cecilia Elin Ida Lisa Hanna Petra Katarina Josefin Louise',
	1980 => 'Daniel Johan Andreas Marcus Erik Alexander Fredrik Mattias Martin Christoffer Robin Simon Joakim Niklas Jimmy Tobias Sebastian Anton Emil Viktor Oskar Jonathan Henrik Jonas Rasmus Kristoffer Sara Emma Jenny Linda Maria Anna Johanna Sofia Elin Malin Josefin Frida Camilla Caroline Jessica Amanda Emelie Hanna Linnea Matilda Ida Lisa Karin Therese Sandra Madeleine Elina Rebecka Sanna Fanny',
	1990 => 'Alexander Oscar Oskar Erik Simon Viktor Anton Filip Jacob Jakob Emil Marcus Sebastian Johan Robin Andreas Daniel Adam Ludvig Axel Gustav Carl Jonathan David Isak Rasmus Linus Max Albin Elias Victor Emma Sara Hanna Julia Elin Amanda Johanna Josefin Linnea Ida Sofia Matilda Emelie Moa Frida Lisa Jennifer Rebecka Malin Felicia Louise Ellen Alexandra Elsa Klara Tove Jenny Wilma Nathalie Cornelia Michelle Fanny Tilda',
	2000 => 'William Lucas Oscar Elias Hugo Alexander Erik Filip Emil Isak Anton Viktor Oliver Liam Axel Ludvig Albin Leo Arvid Melvin Theo Noah Adam Gustav Alfred Jacob Olle Max Vincent Emma Maja Julia Ella Elsa Alice Wilma Ebba Alva Linnea Moa Klara Hanna Matilda Felicia Lova Elin Agnes Olivia Saga Tilda Ida Tuva Nellie Cornelia Isabelle Ellen Thea Meja Tyra Nova Lovisa Stella Vera',
	2010 => 'Noah William Lucas Liam Hugo Elias Oliver Oscar Adam Matteo Nils Alexander Vincent Leo Ludvig Theo Charlie Alfred Harry Axel Adrian Emil Filip Isak Gustav Leon Olle Sam Viggo Frans Levi Malte Melvin Edvin Sixten Otto Vidar Alice Maja Elsa Astrid Ella Vera Alma Wilma Olivia Ebba Selma Saga Agnes Freja Stella Alva Signe Lilly Ellen Nova Clara Leah Juni Ines Ellie Elise Lea Iris Majken Tyra Hedda Ester Elvira Sigrid Lykke Nora Lova Vilma Molly Hilda',
);

# ---- explicit first names by origin (beyond the spelling rules) ----
my %first = (
	sv => 'Agneta Alf Anders Anneli Annika Arvid Birgitta Bo Bosse Britt Dagny Gösta Göran Gunnar Gunilla Gunnel Håkan Hjalmar Ingegerd Ingela Ingemar Ingvar Kjell Kerstin Lennart Lasse Leif Linnea Majken Märta Måns Olle Pelle Rolf Rune Sixten Solveig Sten Stig Sture Sune Svea Sven Tage Torsten Ulf Ulla Viggo Yngve Åke Åsa Östen Kicki Lollo Gittan Bettan Mats Folke Ragnar Birger Elof Ebba Tove Lova Tyra Saga Sigrid Signe Hedda Malte Vidar Edvin Ludvig Alfred Axel Gustav Holger Evert Valter Hilding Elna Aina Ingeborg Gunhild Margit Majbritt Gunbritt Barbro Inger Siv Gun Berit Ulrika Lotta Malin Tilda Moa Meja Tuva Alva Klara Linn Lovisa Henning Calle Kalle Janne Nisse Micke Jocke Tobbe Robban Fredde Mange Kattis Sussie Agge Mickan Vickan Hampus Petter Linnéa Gudrun Charlotta Tindra Ruben Adolf Albert Algot Alrik Alvar Anita Ann-Britt Ann-Charlotte Ann-Marie Ann-Sofie Anna-Karin Anna-Lena Anne-Marie Arne Assar Astrid August Bertil Birgit Bodil Britta Börje Carin Carola Caroline Cecilia Christel Dag Disa Doris Eddie Edith Einar Elinor Ellinor Elisabet Ella Elmer Elof Elvin Emilia Erika Erland Esbjörn Ester Evelina Filippa Fredrika Frej Freja Gerda Greta Gullan Gullbritt Gunborg Gunvor Gustaf Harald Hedvig Helge Henning Herbert Hilding Hilma Hjördis Hugo Ida Inez Ingvor Iris Isak Ivar Jakob Jenny Joel Josef Julius Kaj Kajsa Kasper Kennet Kent Klas Krister Kristin Laila Lage Lennart Lilian Linus Lisbeth Lotten Lovis Lukas Maj-Britt Majvor Margareta Mathilda Melker Mikaela Milton Minna Nanna Nicklas Nora Ronja Rut Sigvard Sigge Stina Sonja Svante Teodor Thor Tor Torbjörn Tore Tuve Tyko Uno Valdemar Vendela Verner Vilgot Vilhelm Vilja Vilma Wilhelm Yvonne Åsa Ylva Otto Lave Lowe Love Alvin Sten-Åke Ture Tord Bror Britt-Marie Inga-Lill Lill Lillemor Gull Gullvi Solvig Aina Märit Rickard Roland Roger Ronny Tommy Kenneth Conny Jonny Glenn Benny Sonny Lillie Lilly Elis Harriet Ingalill Ewa Mariana Rebecca Rebecka Sebastian Simon Oskar Viktor Victor Anton Filip Linnea Klara Julia Alma Selma Vera Stella Signe Agnes Ellen Ines Nova Juni Majken Lykke Iris Sixten Otto Vidar Edvin Love Kevin Dennis Robin Jimmy Jesper Anneli Jeanette Susanne Camilla Therese Josefine Josefin Emelie Amanda Elina Sandra Madeleine Moa Fanny Tove Cornelia Thea Tilde Wilma Ebba Elin Emma Hanna Sara Sofie Lovisa Vilgot',
	fi => 'Aapo Aarne Aatu Aimo Ahti Antti Eelis Eero Eija Eino Esa Hannu Heikki Helvi Ilkka Irja Jaana Jari Jarmo Jouko Juha Juhani Jukka Jussi Jyrki Kaarina Kaarle Kaisa Kalervo Kari Kirsi Kyösti Lauri Leena Liisa Maarit Marjatta Marketta Markku Matti Mikko Minna Mirja Oili Olli Onni Orvokki Paavo Päivi Pekka Pentti Pertti Petri Pirjo Raija Raimo Reijo Riikka Riitta Ritva Sami Sanna Satu Seppo Sirkka Sirpa Taisto Tapani Tapio Tarja Teemu Terttu Timo Toivo Tuija Tuomas Tuula Tuulikki Tytti Ulla-Maija Urho Valto Veikko Vesa Ville Väinö Aino Elina Helmi Iida Inkeri Kerttu Lahja Maija Marja Niilo Oskari Ossi Paula Pirkko Pasi Raili Seija Tiina Tuomo Unto Veli Eeva Hilkka Jorma Erkki Kalevi Nestori Miikka Niko Jani Jenni Sini Kalev',
	no => 'Haakon Håkon Jarle Trond Sigurd Egil Bjørn Øystein Ørjan Torbjørn Ragnhild Solveig Kjersti Sindre Eirik Halvard Audun Knut Arild Geir Odd Tor Terje Svein Vegard Runar Rune Asbjørn Ingrid Randi Gry Gro Liv Kari Hege Tone Marit Mette Dorte Jesper Rasmus Mads Søren Jens Lars Niels Birk Brage',
	ar => 'Abdallah Abdel Abdelaziz Abdelkader Abdelkarim Abdelrahman Abdulkadir Abdullah Abdulrahman Adel Ahmad Ahmed Aisha Aya Amal Amani Ameena Amina Amir Amira Ammar Anas Ashraf Asma Ayman Bader Bashar Bilal Dalia Dima Djamal Fadi Faisal Faris Fathi Fatima Fawzi Feras Ghada Hadi Hala Hamza Hana Hanan Haneen Hashem Hassan Hiba Hicham Hussein Ibrahim Imad Iman Iyad Jamal Jamila Jihad Kamal Kamel Karim Khaled Khalid Kinan Lama Layla Leila Louay Mahmoud Maha Majid Malak Mariam Marwa Maryam Mazen Mohamad Mohamed Mohammad Mohammed Muhammad Mona Mostafa Mustafa Munther Nabil Nada Nadia Naima Nasser Nawaf Noor Nour Nora Omar Osama Qais Rami Rana Rania Rasha Reem Rim Saad Sabri Said Salah Salam Salma Salwa Sami Samih Samir Sara Shahad Suaad Suhayb Sumaiya Tarek Tariq Waad Walid Wael Yahya Yasmin Yasmine Yehia Yousef Yusuf Zainab Zeina Ziad Hamid Hussam Haidar Ali Layal Lina Lana Hussain Rashid Walaa Nisreen Yara Sanaa',
	syr => 'Gewargis Gorgis Zaya Ninos Nineb Sargon Shamiram Ashur Ninve Yonan Aprim Ilona Afram Gabriel Shlimon Nahrin',
	fa => 'Afsaneh Arash Arman Arsham Azadeh Babak Bahar Bahram Behnaz Behzad Dariush Darius Ehsan Elham Farhad Farzaneh Fereshteh Golnar Hamed Hamid Hossein Javad Kaveh Katayoun Kian Kourosh Laleh Leyla Mahnaz Mahsa Manouchehr Marjan Mehdi Mehran Mina Mitra Mohsen Nasrin Negar Negin Niloofar Nooshin Omid Parisa Parwin Payam Pegah Reza Roya Saeed Saeid Saghar Sahar Samira Sanaz Shadi Shahram Shapour Shirin Shiva Sima Sogand Soraya Taravat Vahid Yasaman Zahra Ahmad Ali Arezoo Navid Pouya Rahmatullah Mujtaba Humayun Gulbadan Marzia Sediq Habibullah Nazanin Parastoo Sohrab Farid Fariba Mahboob Abdul Nasima Shukria Zarmina Wahid Rohullah Samiullah Zakia Khadija',
	ku => 'Aram Azad Bawan Berivan Chnar Dilan Dilovan Hawar Hazha Jiyan Kardo Karwan Karzan Kurdo Lana Nazdar Peshawa Rawand Rebin Rezan Salar Shilan Shwan Soran Zana Zhina Zhiyar Nemrud Hevi Helin Rojin Delal Baran Diyar Bahoz Alan Ronahi Avesta Sakar Hozan',
	tr => 'Ahmet Ali Aydın Aysun Ayşe Bünyamin Burak Can Cem Deniz Ebru Emine Emre Enes Erdal Erol Esin Esra Eylül Fatma Gönül Hakan Halit Hülya Kemal Kürşat Mehmet Melek Meryem Mesut Murat Mustafa Necati Nurettin Orhan Ömer Özlem Recep Reyhan Rıza Sabri Selin Serkan Serpil Sevgi Sezer Songul Songül Tuncer Türkan Umut Volkan Yasin Yıldız Yildiz Yunus Zeynep Elif Emir Halil Hasan Hüseyin İsmail Kübra Merve Miray Oğuz Osman Sinan Tolga Ufuk Ümit Yusuf Zehra Bülent Cengiz Ercan Gökhan Levent Metin Nihat Sedat Taner Erkan Engin Özgür',
	so => 'Aadan Abdi Abdiaziz Abdifatah Abdifitah Abdihakim Abdijabar Abdikadir Abdikani Abdikarim Abdinasir Abdinur Abdiqadir Abdiqani Abdirahim Abdirahman Abdirashid Abdiwahab Abdullahi Ayaan Ayan Cabdi Deeqa Faadumo Fadumo Farhiya Filsan Hamdi Hawa Hibo Hodan Hodon Ifrah Ilhan Ikran Istahil Khadar Kowsar Luul Maalin Maryan Mustafe Nasra Nimco Qamar Sagal Sahra Shire Ubah Warsame Xamse Yasmiin Zamzam Mohamud Mohamoud Muse Jama Farah Guled Liban Ayanle Sadia Safiya Sucaad Hodaan Idil Najma Awes Aweys Hassan',
	ti => 'Abraham Aklilu Alem Almaz Berhane Dawit Eden Elsa Feven Filmon Freweyni Ghirmay Haile Helen Kidane Kokob Lemlem Luwam Meron Mehari Merhawi Million Mulugeta Nahom Nardos Natnael Rahwa Saba Selam Semere Senait Tekle Tesfay Tesfalem Teshome Tsehaye Winta Yared Yohana Yohannes Yonas Yosief Zerai Zewdi Dawit Biniam Robel Senay Samson Tigist Abeba Bethlehem Lidya Ruth Hiwet Medhanie Habtom Yemane Kibrom Kahsay Haben Selamawit',
	afr => 'Abena Adaeze Chidi Chinedu Chioma Kofi Kwame Kwabena Ama Akua Oluwaseun Olumide Ngozi Thandiwe Sipho Themba Lamin Ibrahima Mamadou Fatou Haddy Isatou Ousman Modou Bulus Emeka Ifeoma Obinna Tunde Babajide Kemi Nana Esi Yaw',
	bks => 'Admir Alen Almir Amar Amela Amir Anel Belma Damir Danijela Davor Dragan Dženan Edin Elma Emina Emir Enis Goran Haris Igor Ivana Ivica Jasmin Jasmina Kenan Lejla Ljubomir Marija Marko Merima Milan Milena Milka Miroslav Mirza Nermin Nikola Sanel Selma Senad Smiljana Tomislav Veljko Vojislav Zoran Zivko Živko Zlatan Aleksandar Andjela Dorotea Gabrijela Lucija Stana Visnja Višnja Vahida Nizama Adnan Mersiha Samir Sead Nedim Dino Dejan Darko Dragana Jelena Snežana Vesna Zorica Mirsad Emira Dženana Azra Suad',
	sq => 'Arben Arbër Ardian Besnik Besim Blerina Bujar Dafina Dardan Drita Enver Fatmir Fjolla Flamur Gent Granit Ilir Kujtim Leart Liridon Lirim Luan Mimoza Shqipe Shpresa Valon Veton Vjosa Xhevdet Xhemile Muhamet Fitore Arta Albana Agron Besa Blerim Ermal Genti Valbona Drilon Jeton Kaltrina',
	pl => 'Agnieszka Andrzej Anna Bartek Bartosz Beata Dariusz Dorota Ewa Grzegorz Jacek Jadwiga Jakub Jan Janusz Jerzy Joanna Jolanta Józef Kamil Katarzyna Kazimierz Krzysztof Łukasz Lukasz Maciej Magdalena Małgorzata Malgorzata Marek Marzena Michał Mirosław Monika Paweł Pawel Piotr Przemysław Renata Robert Stanisław Szymon Tadeusz Tomasz Urszula Wiesław Witold Wojciech Zbigniew Zofia Zuzanna Żaneta Ignacy Olgierd Walenty Miłosz Patrycja Bartłomiej Wanda Halina Grażyna Barbara Krystyna Danuta Elżbieta Irena Teresa Bożena Iwona Sylwia Aneta Justyna Karolina Kinga Natalia Weronika Wiktoria Mateusz Dawid Kacper Filip Adam Marcin Rafał Sebastian Artur Leszek Ryszard',
	ru => 'Aleksandr Aleksei Alexei Alina Anastasia Andrei Anton Boris Dmitri Dmitry Dima Ekaterina Elena Evgeny Galina Igor Irina Ivan Katja Ksenia Larisa Lyudmila Maksim Marina Mikhail Nadezhda Natalja Natalia Nikolai Oksana Olga Pavel Sergei Sergey Svetlana Tatjana Tatiana Vadim Valentina Vladimir Viktor Yulia Yuri Zhanna Ruslan Artyom Denis Oleg Roman Taras Bohdan Mykola Oleksandr Olena Yaroslav Vasyl Halyna Ruzanna Armen Anahit Gayane Tigran Karen Ashot Narine',
	lt => 'Algirdas Arvydas Audrius Darius Egle Eglė Gintaras Jurgita Kestutis Kęstutis Laima Mindaugas Rasa Ruta Rūta Saulius Tomas Vilma Vytautas Andris Janis Jānis Ilze Inese Kristaps Liga Līga Maris Māris Raivis Toomas Tiit Kalle Katrin Liina Mart Peeter Triin',
	hu => 'Andras András Attila Csaba Eszter Ferenc Gabor Gábor Gyorgy György Imre Istvan István Janos János Jozsef József Katalin Laszlo László Levente Miklos Miklós Sandor Sándor Szilvia Tamas Tamás Zoltan Zoltán Zsofia Zsófia Zsuzsanna Agnes Judit Erzsébet Ildikó Krisztina Tibor Gergely Bence Dávid Balázs',
	ro => 'Alexandru Andreea Bogdan Catalin Cătălin Cristian Daniela Dorin Florin Gheorghe Ioana Ion Ionela Ionut Ionuț Mihai Mihaela Nicoleta Ovidiu Radu Sorin Stefan Vasile Valentin Adrian Cosmin Razvan Răzvan Alina Elena Roxana Oana Irina Raluca Lucian Marius Cristina Gabriela Ana',
	el => 'Apostolos Athanasios Christos Dimitrios Eleni Georgios Giorgos Ilias Ioannis Konstantinos Kostas Maria Nikolaos Panagiotis Paraskevi Sofia Spyros Stavros Theodoros Vasilis Vasiliki Yannis Anastasios Despina Katerina Evangelos Efthymios Charalampos Kyriakos Aikaterini Georgia',
	de => 'Bastian Dieter Dirk Fritz Gretel Günter Günther Hannelore Heinz Helmut Horst Jürgen Klaus Lukas Manfred Marlene Matthias Saskia Stefanie Ursula Uwe Wolfgang Gerhard Gisela Heike Karsten Kerstin Rainer Sabine Sven Torsten Ulrike Werner Anke Birgit Frauke Hauke Jörg Maik Sönke Ute Annegret Wilhelm Kai Jens Jan Henk Pieter Joost Sanne Maarten Bram Anouk Femke Sjoerd',
	fr => 'Aurélie Benoît Camille Céline Chantal Claude Élodie Elodie Étienne Francois François Guillaume Jacques Jean Jean-Paul Jean-Pierre Julien Laurent Marcel Mathieu Michel Nathalie Nicolas Philippe Pierre Sébastien Sylvie Thérèse Thierry Yves Amélie Anaïs Margaux Mélanie Melodie Mélodie Manon Chloé Loïc Aurélien Hélène Josette Odile Serge Yannick',
	it => 'Alessandro Alessia Andrea Antonio Carlo Chiara Davide Domenico Fabio Federica Francesca Francesco Giovanni Giulia Giuseppe Leonardo Lorenzo Luca Luigi Marcello Marco Matteo Paolo Pietro Roberto Salvatore Simone Stefano Valentina Vincenzo Giorgia Martina Sara Elisa Silvia Alberto Enrico Gianluca Massimo Mauro Riccardo Tommaso',
	es => 'Agustín Alejandra Alejandro Ana Andrés Angélica Beatriz Camila Carlos Carmen Catalina Consuelo Cristóbal Daniela Diego Eduardo Esteban Facundo Felipe Fernanda Fernando Francisca Gabriela Gonzalo Guadalupe Ignacio Isabel Javier Jesús Jorge José Juan Julio Luis Manuel Marcela María Mateo Mauricio Miguel Nicolás Noemí Pablo Patricio Pedro Rafael Ramón Raúl Rocío Rocio Rodrigo Rosa Santiago Sebastián Sergio Sofía Teresita Valentina Ximena Orlando Alberto Claudia Paola Lucía Martín Matías Joaquín Tomás Valeria Mariana Jimena Esperanza Dolores Rosario Guillermo Hernán Ricardo Víctor Marisol Yolanda Ximena Lorena Verónica Adriana Fabián Germán Iván Óscar',
	pt => 'João Joao Gonçalo Tiago Thiago Bruno Rodrigo Fernanda Leticia Letícia Beatriz Mariana Inês Conceição Luís Vinícius Gustavo Larissa Camila Paulo Antônio Sebastião Fábio',
	en => 'Aaron Alan Annie Bonnie Brian Charlie Cherie Chloe Craig Dean Emily Faith Gary Gerald Grace Howard Jack Jason Jennifer Jessica Kevin Kimberly Lauren Mark Megan Nicholas Paul Rachel Richard Ruby Ryan Scott Sharon Shaun Stephen Steven Stuart Theodore Trevor Vivienne Wayne Ashley Brandon Bradley Colin Darren Duncan Graham Heather Kelly Kenneth Keith Lindsay Neil Nigel Shirley Tracy Tracey Wendy Whitney Zoe Harry Oliver George Thomas Jack Amy Holly Kylie Jamie Dylan Liam Connor Aidan Siobhan Declan Niamh Bridget Patrick Sean Seán Moira Fiona Hamish Callum Kirsty Rhys Owen Gareth Bethan Sian',
	sas => 'Aditya Amit Anil Anjali Arjun Deepak Geeta Gita Kavita Krishna Lakshmi Manoj Mohan Neha Nisha Pooja Priya Rahul Raj Rajesh Ravi Rohit Sanjay Sunil Suresh Vijay Vikram Harpreet Gurpreet Manpreet Jaswinder Sajid Shahzad Zubair Nazir Zakir Imran Irfan Asif Waqar Bilal Usman Farhan Ayesha Sana Saima Nadia Shabnam Rukhsana Tahir Kashif Naveed Rizwan Faisal Shahid Arif Nasreen Tamanna Rahim Karim Shahin Taslima Rupa Anwar Fahim Nusrat Mahmud',
	th => 'Chaiya Kanya Malee Nok Pairoj Phanthip Pornpimol Prayut Rungnapa Somchai Somsak Supachai Suda Thitima Wanida Kanokwan Siriporn Sukanya Supaporn Wassana Jintana Lamai Nittaya Orawan Pranee Ratana Sunisa Anong Buppha Duangjai Fon Kannika Lek Noi Pim Ploy Porntip Boonsong Chatchai Prasert Sombat Somporn Surachai Thanawat Wichai Niran Kittisak',
	vi => 'Anh Binh Bình Chi Cuong Cường Dung Dũng Duc Đức Duyen Duyên Hai Hải Hanh Hạnh Hieu Hiếu Hoa Hòa Hoang Hoàng Hong Hồng Hung Hùng Huong Hương Huy Khanh Khánh Lan Linh Long Mai Minh Nam Nga Ngoc Ngọc Nguyet Oanh Phuong Phương Quang Quynh Quỳnh Son Sơn Tam Tâm Thanh Thao Thảo Thi Thu Thuy Thủy Trang Trung Tuan Tuấn Tung Tùng Uyen Van Văn Vy Xuan Xuân Yen Yến',
	zh => 'Bo Chen Fang Fei Hui Jian Jie Jing Jun Lei Li Lin Ling Mei Ming Na Ping Qiang Qing Tao Ting Wei Xia Xiao Xin Yan Yang Ying Yong Yu Yun Zhen Zhi Hao Hong Jia Lan Lu Shu Xue Yi Yue Zhong',
	ko => 'Ji-hoon Ji-woo Min-jun Seo-yeon Soo-jin Hyun Jin Min Ji-hye Eun-ji',
);

# ---- explicit surnames by origin ----
my %sur = (
	en => 'Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore Martin Jackson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Myers Long Ross Foster Murray McCarthy Barry Kennedy Sullivan Walsh Byrne Ryan Doyle Lynch Quinn Burke Fraser Hamilton Graham Grant Robertson',
	zh => 'Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Jin Fan Fang Shi Zhong Tan Liao Cui Qiu Qin Lei Hou Bai Jia Kong Mao Wen Yin Chau Chan Cheung Leung Wong Ng Lam Ho Lau Yeung Chow Tsang Kwok Wu Lee Tse',
	vi => 'Nguyen Nguyễn Tran Trần Le Lê Pham Phạm Hoang Hoàng Huynh Huỳnh Phan Vu Vũ Vo Võ Dang Đặng Bui Bùi Do Đỗ Ho Hồ Ngo Ngô Duong Dương Ly Lý Dinh Đinh Truong Trương Mai Cao Luu Lưu Trinh Trịnh Ha Hà Quach Ta Tạ Thai Thái Doan Đoàn Lam Lâm Van Văn',
	ko => 'Kim Park Lee Choi Jung Jeong Kang Cho Yoon Jang Lim Shin Han Oh Seo Kwon Hwang Ahn Song Hong Moon',
	th => 'Srisuk Saetang Sukjai Wongsa Chaiyaporn Boonmee Thongdee Suwan Kaewkong Sriwong Phromma Intarasuk Jaidee Saelim Saengthong Somboon Wongwan Khamphan',
	so => 'Abdi Abdulle Aden Ahmed Ali Farah Hassan Hussein Ibrahim Isse Jama Mohamed Mohamud Muse Nur Omar Osman Warsame Yusuf Dahir Egal Elmi Gedi Guled Hirsi Jibril Kahin Samatar Shire Warfa Yasin Barre Abdullahi Adan Awale Dirie Duale Gure Haji Hersi Mahamud Qorane',
	ti => 'Abraha Alemu Assefa Berhane Desta Gebre Gebreyesus Gebremariam Gebremedhin Ghebremichael Ghebreyesus Habte Haile Hailu Kahsay Kidane Mehari Mengistu Negash Tekle Tesfay Tesfamariam Tesfaye Tsegay Woldemichael Yohannes Zerai Bekele Girma Getachew Tadesse Asfaw Worku Ayele Kebede Mekonnen Tefera Fikre Ghebre Berhe Weldu',
	afr => 'Agyeman Asante Mensah Boateng Owusu Osei Ceesay Jallow Jammeh Sowe Touray Njie Bah Diallo Sow Camara Keita Traore Toure Sylla Kabeya Kalonji Ngoy Mutombo Ilunga Ochieng Otieno Kamau Mwangi Njoroge Okafor Okonkwo Adeyemi Oyelaran Nwosu Dlamini Nkosi Banda Phiri Mbeki Ndiaye Ndlovu Mugisha Niyonzima',
	ar => 'Abbas Abboud Abdallah Abdullah Ahmad Ahmed Al-Ali Ali Ammar Antoun Ayoub Aziz Darwish Farag Fares Haddad Hamdan Hamid Hamoud Hashim Hassan Hijazi Homsi Hussein Ibrahim Issa Jaafar Jaber Kassem Khalil Khamis Khoury Mahmoud Mansour Marouf Masri Mohamad Mohamed Mohammad Mohammed Mousa Mustafa Nassar Nasser Omari Qasim Rashid Saad Saleh Saliba Salim Shaker Suleiman Yassin Yousef Younes Zaher Zeidan Alsaadi Alhassan Khalaf Kanaan Haidar Hamadi Said Sabbagh Naji Najjar Tahan Taha Attar Bakr Qadiri Daher Ghanem Kurdi Sheikh Tuma',
	syr => 'Gabriel Yalda Malke Tuma Saliba Danho Aho Barsom Barsoum Gorgis Hanna Yakoub Yaqob Isik Shamoun Khoshaba Odisho Benjamin Warda Mirza Lahdo Chamoun Somi Kaplan Dannho',
	fa => 'Ahmadi Akbari Alizadeh Amini Asghari Azimi Bagheri Bakhtiari Ebrahimi Esmaili Farahani Ghasemi Hashemi Hosseini Jafari Kazemi Karimi Khani Mahmoudi Mehrabi Mirzaei Mohammadi Moradi Naderi Najafi Nazari Rahimi Rastegar Rezaei Rezai Sadeghi Sadeghian Saffari Salehi Shahidi Sharifi Sharifzadeh Shirazi Soltani Tehrani Zare Zarei Heidari Habibi Ansari Rahmani Hakimi Haidari Hotak Popal Karzai Noori Sultani Amiri Jalali Kamali Rostami Sohrabi Tavakoli Yazdani Mirani Qaderi Hamidi Nikpour Azizi',
	ku => 'Hawrami Jaf Duhoki Barzani Talabani Kurdi Zebari Baban Amedi Mizuri Hawleri Kirkuki Soran Botani Shwani Hasani Goran Rashid Mahmood Doski Xoshnaw Khoshnaw Rekani Berwari',
	tr => 'Akgül Akın Aksoy Altun Arslan Aslan Aydemir Aydın Aydin Bulut Çakır Cakir Çelik Celik Çetin Cetin Demir Demirtas Demirtaş Doğan Dogan Ekinci Erdem Erdoğan Ertaş Ertas Güneş Gunes Güven Guven Kaçar Kaplan Kara Karabulut Karaca Karakaya Karataş Kaya Keskin Kılıç Kilic Kızıl Kizil Koç Koc Korkmaz Kose Köse Kurt Özdemir Ozdemir Özkan Öztürk Ozturk Orhan Polat Şahin Sahin Sarı Sari Şimşek Simsek Tekin Turan Uçar Ucar Ünal Unal Yalçın Yavuz Yeşil Yesil Yıldırım Yildirim Yıldız Yildiz Yılmaz Yilmaz Yüksel Yuksel Aktaş Aktas Bozkurt Duman Erol Güler Kocabaş Taş',
	pl => 'Nowak Kowalski Kowalska Wiśniewski Wisniewski Wójcik Wojcik Kowalczyk Kamiński Kaminski Lewandowski Zieliński Zielinski Szymański Szymanski Woźniak Wozniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Kaczmarek Piotrowski Grabowski Nowakowski Pawłowski Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król Majewski Olszewski Jaworski Wróbel Malinowski Pawlak Witkowski Walczak Stępień Górski Rutkowski Michalak Sikora Ostrowski Baran Duda Szewczyk Tomaszewski Pietrzak Marciniak Wróblewski Zalewski Jakubowski Jasiński Zawadzki Sadowski Bąk Chmielewski Włodarczyk Borkowski Czarnecki Sawicki Sokołowski Urbański Kubiak Maciejewski Szczepański Kucharski Wilk Kalinowski Lis Mazurek Wysocki Adamski Kaźmierczak Wasilewski Sobczak Czerwiński Andrzejewski Cieślak Głowacki Zakrzewski Kołodziej Sikorski Krajewski Gajewski Szymczak Szulc Baranowski Laskowski Brzeziński Makowski Ziółkowski Przybylski Łuczak Mroz Mróz Kurek Nowacka Rogalski Wroblewski Zukowski Żukowski Witkowska',
	ru => 'Ivanov Ivanova Smirnov Smirnova Kuznetsov Kuznetsova Popov Popova Vasiliev Vasilieva Petrov Petrova Sokolov Sokolova Mikhailov Novikov Fedorov Morozov Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin Zakharov Zaitsev Soloviev Borisov Yakovlev Grigoriev Romanov Vorobiev Sergeev Frolov Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Boyko Melnyk Moroz Lysenko Petrenko Marchenko Rudenko Savchenko Sidorenko Karpenko Hovhannisyan Petrosyan Sargsyan Harutyunyan Grigoryan Khachatryan',
	hu => 'Nagy Kovács Kovacs Tóth Toth Szabó Szabo Horváth Horvath Varga Kiss Molnár Molnar Németh Nemeth Farkas Balogh Papp Takács Takacs Juhász Lakatos Mészáros Oláh Simon Rácz Fekete Szilágyi Török',
	ro => 'Popescu Ionescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Constantin Serban Şerban Marin Mihai Dinu Lazar Lazăr Munteanu Moldovan Rusu Sandu Florea Dobre Barbu Nistor',
	el => 'Papadopoulos Angelopoulos Georgiou Dimitriou Nikolaou Papadakis Konstantinou Ioannou Vasileiou Christodoulou Karagiannis Economou Oikonomou Pappas Alexiou Makris Theodorou Antoniou Stavrou Athanasiou Kyriakou Michailidis Papageorgiou Giannakopoulos',
	sq => 'Krasniqi Gashi Berisha Morina Shala Hoxha Kastrati Bytyqi Hasani Rexhepi Selmani Sylejmani Zeka Kryeziu Musliu Ahmeti Bajrami Thaqi Osmani Avdiu Halili Jashari Kelmendi Mehmeti Rama Rugova Xhaferi Haxhiu Limani Dervishi',
	de => 'Müller Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Vogel Busch Sommer Schreiber Keller Frank Berger Winkler Roth Beck Lorenz Baumann Albrecht De Jong De Vries Van Dijk Bakker Janssen Visser Smit Mulder Bos Vos Meijer',
	fr => 'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre André Lefevre Mercier Dupont Lambert Bonnet Francois Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont Lopez Fontaine Chevalier Robin Boulanger Giraud Guichard Marchal Perrier Picard Prévost Germain LeGall Le Gall',
	it => 'Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De Santis D\'Angelo Marchetti Parisi Villa Conte Ferraro Bassi Cattaneo Montanari De Angelis',
	es => 'Garcia García Rodriguez Rodríguez Gonzalez González Fernandez Fernández Lopez López Martinez Martínez Sanchez Sánchez Perez Pérez Gomez Gómez Martin Jimenez Jiménez Ruiz Hernandez Hernández Diaz Díaz Moreno Alvarez Álvarez Muñoz Munoz Romero Alonso Gutierrez Gutiérrez Navarro Torres Dominguez Domínguez Vazquez Vázquez Ramos Gil Ramirez Ramírez Serrano Blanco Molina Morales Suarez Suárez Ortega Delgado Castro Ortiz Rubio Marin Sanz Iglesias Medina Garrido Cortes Castillo Santos Lozano Guerrero Cano Prieto Mendez Méndez Cruz Calvo Gallego Vidal Leon León Herrera Marquez Márquez Pena Peña Flores Cabrera Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo Montero Hidalgo Gimenez Ibanez Ibáñez Ferrer Duran Durán Santiago Benitez Benítez Mora Vicente Vargas Arias Carmona Crespo Roman Román Pastor Soto Saez Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas Silva Rivera Acevedo Aravena Farias Leiva Tapia Sierra Vera Valdés Valdes Ibarra Espinoza Contreras Sepulveda Sepúlveda Figueroa Araya Pizarro Fuentealba Zuñiga Salazar Mendoza Quispe Chavez Chávez Villalobos',
	pt => 'Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Souza Fernandes Gonçalves Goncalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira Moreira Correia Mendes Nunes Soares Vieira Monteiro Cardoso Rocha Neves Coelho Cunha Pires Araújo Araujo Barbosa Nascimento',
	sas => 'Khan Ahmed Akhtar Ali Aslam Bhatti Butt Chaudhry Chaudhary Hussain Iqbal Javed Malik Mirza Qureshi Rana Raza Shah Sheikh Siddiqui Sohail Tariq Yousaf Zaman Patel Sharma Singh Kumar Gupta Mehta Shah Desai Joshi Reddy Rao Nair Iyer Pillai Das Bose Banerjee Chatterjee Mukherjee Sen Ghosh Kaur Gill Sandhu Sidhu Dhillon Grewal Bassi Sarkar Sarker Rahman Hossain Islam Uddin Chowdhury Begum Haque Alam Akter Miah',
	bks => 'Hodžić Hodzic Begić Begic Hadžić Hadzic Ilić Ilic Jovanović Jovanovic Petrović Petrovic Nikolić Nikolic Marković Markovic Đorđević Djordjevic Stojanović Stojanovic Popović Popovic Kovačević Kovacevic Babić Babic Marić Maric Jukić Jukic Tadić Tadic Ristić Ristic Pavlović Pavlovic Todorović Todorovic Vuković Vukovic Milenković Milenkovic Mahmutović Mahmutovic Mujkić Mujkic Spahić Spahic Zahirović Zahirovic Fazlić Fazlic Efendić Efendic Smajić Smajic Mešić Mesic Sarajlić Sarajlic Nuhanović Nuhanovic Osmanović Osmanovic Pejić Pejic Vidić Vidic Stojković Stojkovic Stanković Stankovic Petković Petkovic Mladenović Mladenovic Đurić Djuric Ćosić Cosic Tomić Tomic Božić Bozic Catic Čatić Causevic Čaušević Kovac Kovač Horvat Novak Hasanović Hasanovic Delić Delic Halilović Halilovic Husić Husic Alić Alic',
	fi => 'Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen Salo Laitinen Tuominen Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen Ahola Aaltonen Hakkarainen Heiskanen Huhtala Huovinen Huttunen Jokela Juuso Keskinen Koivisto Laurila Nuutinen Nykänen Oja Paavola Partanen Piirainen Pohjanen Raatikainen Rantatalo Riihimäki Ruuskanen Räsänen Saarela Silvennoinen Sirkka Tervo Tuorda Tynkkynen Uusitalo Kangas Kallio Mäki Lindqvist',
	no => 'Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen Bakken Kristensen Mathisen Lie Rasmussen Bruun Knudsen Nørgaard Madsen Christensen Thomsen Poulsen Mortensen Møller Sørensen Nielsen Petersen Lauritzen Bjørnstad',
	lt => 'Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Butkus Paulauskas Urbonas Kavaliauskas Berzins Bērziņš Kalnins Kalniņš Ozols Jansons Tamm Saar Sepp Mägi Kask Rebane Ilves Kukk',
);

my %tab;        # "first"/"sur" -> name -> { code => 1 }
for my $k (keys %first) {
	$tab{first}{$_}{$k} = 1 for split ' ', $first{$k};
}
for my $k (keys %sur) {
	$tab{sur}{$_}{$k} = 1 for split ' ', $sur{$k};
}
my %decs;
for my $d (keys %dec) {
	$decs{$_}{$d} = 1 for split ' ', $dec{$d};
}

# Spelling rules, tried when no table names the name.  Each gives one
# origin; a name may match several.
my @sur_rules = (
	[ sv => qr/(?:sson|son|berg|ström|strom|lund|qvist|kvist|gren|dahl|holm|blad|lind|löf|sjö|stedt|stad|by|ander|ius|ell|mark|vall|wall|borg|hammar|stam|ros|bäck|fors|hed|lin|man|ling|quist|rot|sten|stjerna|stierna|sköld|hjelm|crona|crantz|felt|feldt|ing|éus|én|ér|ier|ert)$/i ],
	[ sv => qr/^(?:af |von |de la )/ ],
	[ fi => qr/(?:nen|lä|la|sto|mäki|maa|oja|nen|ala|ainen|läinen|järvi|vaara|aho|koski|niemi|salo|luoma)$|aa|ää|uu|yy|ii/i ],
	[ bks => qr/(?:ić|ic|vić|vic)$/ ],
	[ pl => qr/(?:ski|ska|cki|cka|dzki|wicz|czyk|czak)$|[łżźśńąę]|sz/ ],
	[ it => qr/([bcdfglmnprstvz])\1[io]$/ ],
	[ no => qr/gaard|aard/ ],
	[ ru => qr/(?:ov|ova|ev|eva|enko|yan|ian|sky|skiy|skaya)$/ ],
	[ tr => qr/[ıışğİŞĞ]|oğlu|oglu/ ],
	[ fa => qr/(?:zadeh|pour|nejad|far|vand|i)$/ ],
	[ el => qr/(?:poulos|akis|idis|iou|opoulou)$/ ],
	[ lt => qr/(?:auskas|ius|aitis|ienė|iņš|ins)$/ ],
	[ es => qr/(?:ez|ález|ílez)$/ ],
	[ no => qr/(?:sen|ø)/ ],
);
my @first_rules = (
	[ so => qr/^(?:Abdi|Cabdi|Xa|Qa)/ ],
	[ ar => qr/^(?:Abd|Abu|Al-|Nur)/ ],
	[ fa => qr/(?:ullah|ollah)$/ ],
	[ th => qr/(?:porn|pon|chai|wan|sak|phong|pong|rat|ya|tip|thip)$/ ],
	[ pl => qr/[łżźśńąę]|sz|cz/ ],
	[ tr => qr/[ıışğİŞĞ]/ ],
	[ bks => qr/[đćčžš]|dž/i ],
	[ fi => qr/aa|ää|uu|yy|öö|ii(?!$)/ ],
	[ es => qr/[áíóúñ]/ ],
	[ fr => qr/[èêëçîïôœû]|^Jean|^Marie-[A-Z]/ ],
	[ sv => qr/[åÅ]|-(?:Åke|Erik|Göran|Olof|Olov|Inge|Gunnar|Anders|Ola|Marie|Britt|Lena|Lis|Mari|Lott|Karin|Christin|Kristin|Sofie|Sofi|Louise)$|^(?:Lars|Per|Jan|Karl|Carl|Ann|Anna|Eva|Maj|Britt|Kjell|Sven|Bo|Ulla|Inga|Gun|Ing|Lise|Mats|Nils|Stig|Kerstin|Pia)-/ ],
);

sub origins {
	my ($kind, $name) = @_;
	my %o;

	if (my $t = $tab{$kind}{$name}) {
		%o = %$t;
		# The Nordic spelling rules add to a table: "Berg" is Swedish
		# as well as Norwegian.
		for my $r ($kind eq 'sur' ? @sur_rules : @first_rules) {
			$o{$r->[0]} = 1 if $r->[0] =~ /^(?:sv|no)$/ &&
			    $name =~ $r->[1] && ($o{sv} || $o{no} || $o{fi});
		}
	} else {
		# Hyphenated Arabic and Swedish surnames: "Al-Hassan", "Berg-Lind".
		if ($kind eq 'sur' && $name =~ /^(?:Al|El)-/) {
			$o{ar} = 1;
		}
		for my $r ($kind eq 'sur' ? @sur_rules : @first_rules) {
			$o{$r->[0]} = 1 if $name =~ $r->[1];
		}
		# A Nordic rule and a foreign one: the foreign spelling decides.
		if (keys %o > 1) {
			delete $o{sv} if grep { $_ ne 'sv' && $_ ne 'no' && $_ ne 'fi' } keys %o;
		}
		if (keys %o > 1 && $o{fi} && ($o{pl} || $o{bks} || $o{tr} || $o{th} || $o{no})) {
			delete $o{fi};
		}
		# -ski is Polish, not a Persian -i; a double consonant before -i
		# Italian.
		delete $o{fa} if $o{pl} || $o{it};
		delete $o{pl} if $o{bks};
	}
	# Every name of the decade tables is common in Sweden.
	$o{sv} = 1 if $kind eq 'first' && $decs{$name};
	return join ',', sort keys %o;
}

for my $file (@ARGV) {
	my $kind = $file =~ /first/ ? 'first' : 'sur';
	open my $in, '<', $file or die "$file: $!\n";
	my @out;
	my ($n, $known, $dated) = (0, 0, 0);
	while (my $line = <$in>) {
		chomp $line;
		if ($line =~ /^#/ || $line eq '') {
			push @out, $line;
			next;
		}
		my ($name, @attrs) = split /\t/, $line;
		@attrs = grep { !/^(?:origin|dec)=/ } @attrs;
		my $o = origins($kind, $name);
		push @attrs, "origin=$o" if $o ne '';
		if ($kind eq 'first' && $decs{$name}) {
			push @attrs, 'dec=' . join ',', sort keys %{$decs{$name}};
			$dated++;
		}
		$n++;
		$known++ if $o ne '';
		push @out, join "\t", $name, @attrs;
	}
	close $in;
	open my $o, '>', "$file.tmp" or die "$file.tmp: $!\n";
	print $o "$_\n" for @out;
	close $o or die "$file.tmp: $!\n";
	rename "$file.tmp", $file or die "$file: $!\n";
	printf STDERR "%s: %d names, %d with an origin, %d with decades\n",
	    $file, $n, $known, $dated;
}

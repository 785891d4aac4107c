-- The public activity catalog (52 activities) as a data migration, so `supabase db push` ships it: the
-- catalog is product data, not sample data, and seed.sql only runs on `supabase db reset` or with
-- --include-seed. Upserts by slug: running it again (or on a database seeded by an earlier version) leaves
-- one row per slug with this content, and ids (which team_activities reference) never change. A later fix to
-- the catalog is a new migration that upserts the rows it changes.

insert into public.public_activities (slug, title, summary, category, duration_minutes, min_group_size, max_group_size, work_modes, objectives, materials, preparation, steps, facilitation_tips, debrief_questions, tags)
values
  (
    'two-truths-and-a-lie',
    'Two Truths and a Lie',
    'Each person shares three short statements about themselves, two true and one false, and the group guesses which one is the lie. A fast, low-risk way to learn surprising things about colleagues and spark follow-up conversations.',
    'icebreaker',
    20, 3, 30,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Help team members learn something new about each other',
      'Lower social tension at the start of a session',
      'Practise asking curious follow-up questions'
    ],
    array[
      'Paper and pens or a notes app',
      'Optional: the poll feature of your video tool for remote groups'
    ],
    'Prepare your own three statements so you can model the activity first. For groups larger than about 12, plan breakout groups of 5-8 people so the game does not drag.',
    array[
      'Explain the rules: each person will share three statements about themselves, two true and one false, and everyone else will guess the lie.',
      'Give everyone 3 minutes to write down their statements privately. Suggest keeping them work-appropriate and mixing the plausible with the surprising.',
      'Model the activity by reading out your own three statements, then ask the group to vote on the lie by raising hands or using a poll.',
      'Reveal the lie and tell a one-sentence story behind your most surprising true statement.',
      'Go around the group: each person reads their statements, the group votes and the speaker reveals the answer. Keep each turn to about 90 seconds.',
      'Allow one or two quick follow-up questions per person if time allows, then move on.',
      'Close by asking who fooled the most people and which fact people would like to hear more about later.'
    ],
    array[
      'Remind people to share only what they are comfortable sharing; a mundane truth works just as well as a dramatic one.',
      'In large groups, run the game in breakout rooms and ask each room to nominate its most convincing lie for a final plenary round.',
      'Keep the pace brisk; the fun is in the guessing, not in long explanations.'
    ],
    array[
      'What did you learn about someone that surprised you?',
      'What made some lies more convincing than others?',
      'Which fact would you like to ask a colleague more about over coffee?'
    ],
    array['icebreaker', 'getting-to-know-you', 'quick', 'storytelling', 'new-teams']
  ),
  (
    'find-someone-who-bingo',
    'Find Someone Who Bingo',
    'Participants mingle to find colleagues who match the prompts on a bingo card, such as ''has lived in another country'' or ''plays an instrument''. It gets a large group talking one-on-one quickly and surfaces shared interests and hidden skills.',
    'icebreaker',
    20, 10, 80,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Get everyone talking to people they do not know well',
      'Discover shared interests and hidden skills',
      'Energise a large group at the start of an event'
    ],
    array[
      'Bingo cards with a 4x4 or 5x5 grid of prompts, one per person (printed or digital)',
      'Pens',
      'Optional: a small prize for the first completed line'
    ],
    'Write 16-25 inclusive prompts, for example ''has worked in three or more industries'', ''can recommend a good podcast'' or ''speaks more than two languages'', and print or share one card per person. Avoid prompts that touch on health, religion, income or family status.',
    array[
      'Hand out the cards and explain the goal: find a different colleague for each square and write their name in it.',
      'Set the rules: each name may appear only once on your card, and you must ask one follow-up question before writing a name down.',
      'Start a 10-minute timer and invite everyone to mingle. For remote groups, open breakout rooms of 3-4 people and reshuffle them every 3 minutes.',
      'Ask people to call out ''Bingo!'' when they complete a row, column or diagonal, but keep playing until the timer ends.',
      'Stop the game and ask the first people to finish to read out their line and the names they collected.',
      'Pick three or four interesting squares and ask the matching people to share a one-sentence story about them.'
    ],
    array[
      'Include a few prompts about work skills, such as ''has run a workshop this year'', so the game surfaces useful expertise as well as hobbies.',
      'Watch for pairs who stay in one conversation too long and gently encourage them to move on.',
      'Make sure every prompt could plausibly apply to several people so nobody feels singled out.'
    ],
    array[
      'Which square was hardest to fill, and why?',
      'What did you have in common with someone you rarely work with?',
      'Which hidden skill in the group might be useful in our work?'
    ],
    array['icebreaker', 'mingling', 'large-groups', 'networking', 'events']
  ),
  (
    'the-story-of-your-name',
    'The Story of Your Name',
    'Each person briefly shares the story behind their name: where it comes from, what it means, a nickname or how it is pronounced. A gentle opener that builds respect for different backgrounds and helps everyone get names right.',
    'icebreaker',
    20, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Help people learn and correctly pronounce each other''s names',
      'Share a small personal story in a low-pressure way',
      'Appreciate the range of backgrounds within the team'
    ],
    '{}'::text[],
    'Think of your own name story so you can go first and set the tone and length. If the group is larger than 12, plan breakout groups of 4-6 people.',
    array[
      'Introduce the prompt: share anything you like about your name, for example who chose it, what it means, a nickname, how it is pronounced or what you prefer to be called.',
      'Give everyone a minute of quiet thinking time to choose what to share.',
      'Go first yourself and keep it to about one minute to model the expected length.',
      'Invite people to share in turn, either around the circle or by passing to the next speaker by name.',
      'After each story, have the group say the person''s name aloud once so everyone practises the pronunciation.',
      'Close by thanking the group and pointing out any common threads, such as family traditions or names that travelled across countries.'
    ],
    array[
      'Make it clear that a short or simple answer, such as ''I don''t know where it comes from, but I like it'', is absolutely fine.',
      'Never comment on whether a name is unusual or difficult; treat every name with the same curiosity.',
      'In remote sessions, suggest that people add a phonetic spelling or their preferred name to their display name.'
    ],
    array[
      'Which name story stayed with you, and why?',
      'Did you learn the correct pronunciation of a name you had been saying differently?',
      'What does this tell us about the backgrounds present in our team?'
    ],
    array['icebreaker', 'names', 'diversity', 'inclusion', 'new-teams', 'storytelling']
  ),
  (
    'common-ground',
    'Common Ground',
    'Small groups race to discover things they all have in common, with the obvious answers ruled out. It pushes people past small talk and ends with each group revealing its most surprising overlap.',
    'icebreaker',
    15, 6, 60,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Build quick rapport inside small groups',
      'Encourage curious questioning beyond surface-level facts',
      'Create a sense of shared identity across a diverse group'
    ],
    array[
      'Paper and pens or one shared digital note per group',
      'Timer'
    ],
    'Decide how you will form groups of 3-5, ideally mixing people from different teams or locations. Prepare an example of an obvious commonality (''we all work here'') and a surprising one (''we have all been stung by a jellyfish'').',
    array[
      'Split the participants into groups of 3-5 people.',
      'Explain the challenge: in 7 minutes, find as many things as possible that everyone in your group has in common.',
      'Rule out the obvious: working at the same company, owning a phone or speaking the same language do not count.',
      'Start the timer and let the groups work, nudging any group that is stuck with prompts such as food, travel, childhood, first jobs or pet peeves.',
      'When time is up, ask each group to count its list and circle the single most surprising item.',
      'Invite each group to share its count and its most surprising commonality with everyone.',
      'Optionally, award a light-hearted prize for the most unexpected find.'
    ],
    array[
      'Mix groups deliberately so people meet colleagues they rarely work with.',
      'If a group is racing through trivial items, challenge it to find three commonalities no other group will have.'
    ],
    array[
      'What was the most surprising thing your group had in common?',
      'Which questions helped you find common ground fastest?',
      'How might knowing about these connections change how you work together?'
    ],
    array['icebreaker', 'rapport', 'small-groups', 'cross-team', 'quick']
  ),
  (
    'this-or-that-spectrum',
    'This or That Spectrum',
    'The facilitator reads pairs of options such as ''mountains or beach'' and people place themselves along a line between them, in the room or on a shared whiteboard. Quick and visual, it shows that a team holds a wide range of preferences.',
    'icebreaker',
    15, 6, 50,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Get people moving and engaged at the start of a session',
      'Make differences in preferences visible without judgement',
      'Open easy conversations between people on different sides'
    ],
    array[
      'Masking tape or two signs to mark the ends of a line across the room',
      'For remote groups: a shared whiteboard with a drawn line and one sticky note or avatar per person'
    ],
    'Prepare 8-10 pairs, starting light (''coffee or tea'', ''early bird or night owl'') and ending with work-style pairs (''plan everything or figure it out as I go'', ''talk it through or think it through''). Mark the two ends of the line in the room or draw it on the whiteboard.',
    array[
      'Show the line and explain that each end represents one option and that people can stand anywhere in between.',
      'Read the first pair and give everyone 20 seconds to move to their spot or drag their sticky note.',
      'Ask one or two people at each end, and one in the middle, to explain their choice in a sentence.',
      'Repeat with the next pairs, spending about a minute on each.',
      'For the last two or three pairs, use the work-style options and ask what the spread means for how the team collaborates.',
      'Wrap up by pointing out a pair where the team was very spread out and one where it was almost unanimous.'
    ],
    array[
      'Avoid pairs that could divide people on sensitive topics such as politics or religion.',
      'Allow people to stand in the middle without explaining; the activity should never feel like an interrogation.',
      'In hybrid sessions, show the whiteboard on the room screen and let in-room people add their notes too, so everyone shares one line.'
    ],
    array[
      'Where were you surprised by the spread of the team?',
      'Which work-style difference should we take into account when we collaborate?',
      'How did it feel to be in the minority on a pair?'
    ],
    array['icebreaker', 'energiser', 'preferences', 'work-styles', 'visual']
  ),
  (
    'silent-birthday-line-up',
    'Silent Birthday Line-Up',
    'Without speaking, the group must arrange itself in a line ordered by birthday, by month and day only. A playful energiser that forces people to invent non-verbal ways of communicating and coordinating.',
    'icebreaker',
    15, 8, 40,
    array['onsite'],
    array[
      'Energise the group and get people moving',
      'Experience communicating without words',
      'Reflect on how a group organises itself without a designated leader'
    ],
    array[
      'Open floor space'
    ],
    'Clear enough space for the whole group to stand in one line. Decide which end of the room represents 1 January and which represents 31 December.',
    array[
      'Ask everyone to stand up and explain the task: line up in order of birthday, by month and day only, not year.',
      'Announce the key rule: no talking, no writing and no showing phones or ID cards. Gestures are allowed.',
      'Point out which end is January and which is December, then start a 5-minute timer.',
      'Watch how the group organises itself and note moments where leaders emerge or confusion arises.',
      'When the group signals it is done, go down the line and have each person say their birthday aloud to check the order.',
      'Count the people who are out of place and, if there is time, challenge the group to try again with a different criterion, such as the number of years they have worked in the company.'
    ],
    array[
      'Let people use any date they like instead of their real birthday if they prefer not to share it.',
      'Hold back from helping; the learning comes from the group inventing its own system.',
      'Make sure the space is accessible so everyone can take part comfortably.'
    ],
    array[
      'How did you communicate without words?',
      'Who took the lead, and how did that happen?',
      'What mistakes did we make, and how could we have caught them earlier?',
      'Where in our daily work do we rely on assumptions instead of checking?'
    ],
    array['icebreaker', 'energiser', 'non-verbal', 'self-organisation', 'onsite']
  ),
  (
    'back-to-back-drawing',
    'Back-to-Back Drawing',
    'In pairs, one person describes a simple picture while the other, seated back to back, tries to draw it from the words alone. Comparing the original with the drawing reveals how easily instructions are misunderstood.',
    'communication',
    30, 4, 40,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Show how much clear communication depends on shared vocabulary',
      'Practise giving precise, well-sequenced instructions',
      'Experience the value of asking clarifying questions'
    ],
    array[
      'Two different simple line drawings made of basic shapes per pair',
      'Blank paper',
      'Pens or markers',
      'Chairs'
    ],
    'Prepare two different images per pair, each made of 5-8 basic shapes such as circles, triangles and lines. For remote groups, plan to send each image privately to the describer in chat and pair people in breakout rooms, with the drawer sketching on paper at their desk.',
    array[
      'Split the group into pairs and have each pair sit back to back so they cannot see each other''s paper; remote pairs go into a breakout room and keep their paper out of camera view.',
      'Give one person in each pair (the describer) an image and the other (the drawer) blank paper and a pen.',
      'Explain round one: the describer has 5 minutes to describe the picture without naming what it looks like overall, and the drawer may not ask any questions.',
      'When time is up, have pairs compare the drawing with the original and notice what went wrong.',
      'Swap roles and hand out the second image. In round two the drawer may ask as many questions as they like, again with 5 minutes.',
      'Have pairs compare again and discuss which round produced a better result and why.',
      'Bring everyone together and display a few drawings next to their originals to open the debrief.'
    ],
    array[
      'Choose images abstract enough that the describer cannot simply say ''draw a house''.',
      'Encourage laughter about the results; the point is the lesson, not artistic skill.',
      'With an odd number of people, form a trio in which the third person observes and notes which phrases helped or confused.'
    ],
    array[
      'What made the instructions easy or hard to follow?',
      'How did being able to ask questions change the outcome?',
      'What assumptions did the describer make about what the drawer knew?',
      'Where in our work do we give one-way instructions that would benefit from a feedback loop?'
    ],
    array['communication', 'instructions', 'listening', 'pairs', 'classic']
  ),
  (
    'personal-maps',
    'Personal Maps',
    'Each person draws a mind map about themselves, with branches such as home, education, work, hobbies, family, values and goals, then presents it to the team. The practice, popularised by Management 3.0, helps colleagues understand one another beyond their job titles.',
    'communication',
    45, 3, 12,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Help team members get to know each other as whole people',
      'Build empathy and trust, especially in new or distributed teams',
      'Create conversation starters for future one-to-ones'
    ],
    array[
      'Large sheets of paper or a shared digital whiteboard',
      'Coloured markers',
      'Timer'
    ],
    'Draw your own personal map in advance as an example. Decide on the suggested branches and whether maps will be shared with the whole group or in smaller groups of 3-4.',
    array[
      'Show your own map and explain the format: your name in the centre, with branches for topics such as home, education, work, hobbies, family, friends, values and goals.',
      'Make clear that everyone chooses what to include and that leaving a branch sparse or skipping it is fine.',
      'Give everyone 10 minutes to draw their own map, using words, doodles and small details.',
      'Ask each person to present their map in about 2 minutes while the others listen.',
      'After each presentation, invite one or two curious questions from the group.',
      'Ask everyone to note one thing about each colleague that they would like to ask more about later.',
      'If everyone is comfortable, agree where the maps will be kept, for example on a team wiki page or a wall.'
    ],
    array[
      'Go first and show a little openness; people tend to mirror the depth you model.',
      'In larger teams, run it in groups of 3-4 so everyone has time to present properly.',
      'Revisit the maps every few months so they stay current as people''s lives change.'
    ],
    array[
      'What did you learn about a colleague that changes how you see them?',
      'Which topics on the maps gave us something in common?',
      'How could we use what we learned in our everyday work?'
    ],
    array['communication', 'getting-to-know-you', 'management-3-0', 'mind-map', 'empathy', 'remote-teams']
  ),
  (
    'user-manual-of-me',
    'User Manual of Me',
    'Team members write a short personal ''user manual'' describing how they like to work, communicate and receive feedback, then share and discuss it with colleagues. It replaces guesswork about working styles with explicit preferences the team can talk about.',
    'communication',
    60, 3, 15,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Make working styles and communication preferences explicit',
      'Reduce friction caused by mismatched expectations',
      'Give new team members a fast way to learn how colleagues work'
    ],
    array[
      'A template document or shared whiteboard with the manual questions',
      'Pens and paper or laptops'
    ],
    'Prepare a template with 6-8 questions, such as: my working hours and focus times; the best way to reach me; how I like to receive feedback; what people sometimes misunderstand about me; what drains my energy; how to help me when I am under pressure. Write your own manual first as an example.',
    array[
      'Explain the purpose: we all have unwritten rules about how we work best, and writing them down makes collaboration easier.',
      'Share the template and walk through your own manual as an example in about 3 minutes.',
      'Give everyone 15 minutes to write their own manual, answering the questions they find useful.',
      'Form groups of 3-4 and have each person share their manual in about 4 minutes, followed by questions.',
      'Ask each group to note any clashing or complementary preferences, such as one person loving quick calls while another prefers written messages.',
      'Bring the whole team together and have each group share one or two insights.',
      'Agree where the manuals will live and when they will be reviewed, for example every six months or whenever someone joins.'
    ],
    array[
      'Emphasise that manuals describe preferences, not demands; teammates will still need to find compromises.',
      'Encourage specific, behavioural statements such as ''please send an agenda before a meeting'' rather than personality labels.',
      'Ask managers to write and share their manuals too; it signals that the exercise matters.'
    ],
    array[
      'Which preference of a colleague surprised you?',
      'Where might our different preferences clash, and how will we handle it?',
      'What is one thing you will do differently after reading the manuals?'
    ],
    array['communication', 'working-styles', 'feedback', 'onboarding', 'self-awareness']
  ),
  (
    'active-listening-triads',
    'Active Listening Triads',
    'In groups of three, one person talks about a real challenge, one listens and reflects back, and one observes, then the roles rotate. It builds the habit of listening to understand rather than waiting to reply.',
    'communication',
    45, 3, 30,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Practise paraphrasing, summarising and open questions',
      'Notice habits that interrupt good listening, such as offering advice too early',
      'Give and receive specific feedback on listening behaviour'
    ],
    array[
      'A printed or shared sheet of listening techniques (paraphrase, summarise, open questions, silence)',
      'Observer note sheets',
      'Timer'
    ],
    'Prepare two or three speaking prompts, such as ''a work challenge you are currently thinking about'' or ''a decision you are weighing up''. Prepare a one-page sheet describing the listener''s techniques and what the observer should look for.',
    array[
      'Briefly introduce active listening: full attention, paraphrasing, open questions and resisting the urge to fix or advise.',
      'Form groups of three and assign the roles of speaker, listener and observer.',
      'Give the speaker 5 minutes to talk about their chosen topic while the listener uses only listening techniques and offers no advice.',
      'After 5 minutes, the listener summarises what they heard in about a minute and the speaker says how accurate it felt.',
      'The observer gives 2 minutes of feedback on what the listener did well and what interrupted the flow.',
      'Rotate the roles and repeat until everyone has played each role, allowing about 9 minutes per round.',
      'Bring the whole group together for a short debrief.'
    ],
    array[
      'Before starting, role-play a poor and a good listening example with a volunteer; the contrast makes the skills vivid.',
      'Remind speakers to choose a topic they are comfortable discussing, and agree that what is said stays within the triad.',
      'If numbers do not divide by three, form one group of four with two observers.'
    ],
    array[
      'What was it like to be listened to without being given advice?',
      'Which listening habits were hardest to suppress?',
      'What did the observers notice that the listeners did not?',
      'Where in our meetings could we listen better?'
    ],
    array['communication', 'listening', 'feedback', 'coaching', 'skills-practice']
  ),
  (
    'lean-coffee',
    'Lean Coffee',
    'A structured but agenda-less meeting: participants propose topics, vote on them and discuss them in time-boxed rounds, deciding together whether to continue or move on. It keeps discussion focused on what the group actually cares about.',
    'communication',
    60, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Surface the topics that matter most to the group',
      'Keep discussions focused and time-boxed',
      'Give everyone an equal voice in setting the agenda'
    ],
    array[
      'Sticky notes and markers, or a digital board',
      'A board with three columns: To Discuss, Discussing, Discussed',
      'Dot stickers or a voting feature',
      'Timer'
    ],
    'Set up a board with the columns To Discuss, Discussing and Discussed. Decide on the timebox for each topic, typically 5-8 minutes.',
    array[
      'Explain the format and show the board with its three columns.',
      'Give everyone 5 minutes to write the topics they want to discuss, one per sticky note, and place them in To Discuss.',
      'Have each person introduce their topics in one sentence, and cluster any duplicates.',
      'Give everyone two or three votes to place on the topics they most want to discuss, then sort the column by votes.',
      'Move the top topic to Discussing, start the timer and let the group talk.',
      'When the timer rings, ask for a thumbs vote: thumbs up to continue for a shorter extra timebox, thumbs down to move on, sideways for no preference.',
      'Move finished topics to Discussed and note any actions or takeaways on them.',
      'Continue until the meeting is nearly over, then use the last 5 minutes to review actions and collect feedback on the session.'
    ],
    array[
      'Appoint a timekeeper so the facilitator can focus on the conversation.',
      'Capture actions visibly on the board; otherwise good discussions evaporate.',
      'If one person dominates, invite quieter people by name or run a round in which each person speaks once.'
    ],
    array[
      'Did we discuss the topics that mattered most to you?',
      'Was the timebox the right length for our group?',
      'Which actions or decisions came out of today, and who owns them?'
    ],
    array['communication', 'meetings', 'agenda', 'facilitation', 'self-organisation']
  ),
  (
    'appreciative-inquiry-interview',
    'Appreciative Inquiry Interview',
    'Pairs interview each other about a time they felt part of a team at its best, then the group looks for the conditions those stories share. Rooted in appreciative inquiry, it builds on strengths instead of starting from problems.',
    'communication',
    60, 4, 40,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Identify the conditions under which the team does its best work',
      'Build connection through positive, personal stories',
      'Shift team conversations from problems to strengths'
    ],
    array[
      'Printed or shared interview guide',
      'Paper and pens',
      'Sticky notes',
      'Flip chart or digital whiteboard for themes'
    ],
    'Prepare an interview guide with three or four questions, for example: tell me about a time you were part of a team at its best; what made that possible; what did you contribute; what would our team look like if this happened more often? Print one guide per person or share it digitally.',
    array[
      'Introduce the idea: instead of analysing what goes wrong, we are going to study what works when we are at our best.',
      'Form pairs, ideally of people who do not work closely together.',
      'Give the first interviewer 12 minutes to ask the questions from the guide, listening closely and taking notes.',
      'Swap roles for another 12 minutes.',
      'Combine two pairs into groups of four and have each person retell their partner''s story in 2 minutes.',
      'Ask each group to identify three or four conditions that appeared across their stories, such as a clear purpose, trust or autonomy, and write each on a sticky note.',
      'Collect the conditions from all groups, cluster similar ones and ask the whole group which one or two they want to create more of.'
    ],
    array[
      'Encourage interviewers to ask for concrete details, such as ''what happened next?'' or ''what did you do?'', rather than generalities.',
      'Ask for permission before retelling anything personal from a partner''s story.',
      'Keep the energy positive, but do not forbid mentioning difficulties; strengths often emerge from hard moments.'
    ],
    array[
      'Which conditions kept appearing in our best-team stories?',
      'Which of those conditions do we have today, and which are missing?',
      'What small step would make our team more like those stories?'
    ],
    array['communication', 'appreciative-inquiry', 'strengths', 'storytelling', 'pairs', 'team-culture']
  ),
  (
    'moving-motivators',
    'Moving Motivators',
    'Each person ranks ten intrinsic motivators, such as curiosity, mastery, freedom and relatedness, from most to least important, then considers how a change at work would affect each one. Popularised by Management 3.0, it opens honest conversations about what drives people.',
    'communication',
    60, 2, 12,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Help people articulate what motivates them at work',
      'Help managers and colleagues understand individual drivers',
      'Explore how an upcoming change may affect motivation'
    ],
    array[
      'A set of ten motivator cards per person (paper or digital)',
      'Table space or a digital whiteboard',
      'Timer'
    ],
    'Prepare one set of ten cards per person, each with a one-line definition: curiosity (plenty to investigate), honour (my values are reflected in how I work), acceptance (people approve of who I am and what I do), mastery (work that challenges my competence), power (room to influence what happens), freedom (independence in my work), relatedness (good social contact at work), order (enough structure for a stable environment), goal (my purpose is reflected in my work) and status (my position is recognised). Choose a real or hypothetical change to discuss, such as a reorganisation or a new project.',
    array[
      'Explain the ten motivators and make sure everyone understands each definition.',
      'Ask each person to arrange their cards in a row from most important on the left to least important on the right, taking about 5 minutes.',
      'Introduce the change you chose and ask everyone to move each card up if the change would improve that motivator for them, or down if it would harm it.',
      'Form pairs or trios and have each person explain their ranking and the card movements in about 5 minutes.',
      'Ask listeners to respond with open questions rather than debating the choices.',
      'Bring the group back together and invite people to share, voluntarily, one insight about their top motivators.',
      'If the team includes its manager, agree whether people would like to follow up individually in one-to-ones.'
    ],
    array[
      'Stress that there are no right or wrong rankings; the value is in the conversation.',
      'Keep individual results private unless people choose to share them more widely.',
      'Repeating the exercise after a few months shows how motivation shifts with circumstances.'
    ],
    array[
      'What surprised you about your own ranking?',
      'Which motivators do we share as a team, and where do we differ?',
      'How could the change we discussed be shaped to support people''s top motivators?'
    ],
    array['communication', 'motivation', 'management-3-0', 'self-awareness', 'one-to-ones', 'change']
  ),
  (
    'paper-tearing-one-way-instructions',
    'Paper Tearing: One-Way Instructions',
    'With eyes closed and no questions allowed, everyone follows the same folding and tearing instructions, then unfolds their paper to find that almost nobody has the same shape. A short, memorable demonstration of how differently the same words can be interpreted.',
    'communication',
    15, 4, 100,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Show that identical instructions can produce very different results',
      'Highlight the value of asking questions and confirming understanding',
      'Provide a light energiser with a strong takeaway'
    ],
    array[
      'One sheet of A4 or letter paper per person'
    ],
    'Make sure every participant, including remote ones, has a plain sheet of paper ready. Practise the instructions once so you can read them at a steady pace.',
    array[
      'Ask everyone to hold their sheet of paper, close their eyes and keep them closed until told otherwise.',
      'Explain that they must not ask questions or look at anyone else''s paper.',
      'Read the instructions slowly: fold the paper in half; tear off the top right corner; fold it in half again; tear off the bottom left corner; fold it in half again; tear a small piece out of the middle of the right side.',
      'Ask everyone to open their eyes and unfold their paper.',
      'Have people hold their papers up to the room or the camera and compare the shapes.',
      'Run a second round with fresh paper in which people may keep their eyes open and ask questions, then compare the results again.'
    ],
    array[
      'Do not clarify anything during the first round, even if people look confused; the confusion is the point.',
      'Keep the debrief short and concrete by linking it to a recent example of miscommunication in the team.'
    ],
    array[
      'Why did we end up with so many different shapes from the same instructions?',
      'What changed when questions were allowed?',
      'Which of our instructions or requirements might be read in several ways?'
    ],
    array['communication', 'instructions', 'energiser', 'quick', 'large-groups']
  ),
  (
    'marshmallow-challenge',
    'Marshmallow Challenge',
    'Small teams have 18 minutes to build the tallest free-standing structure they can from spaghetti, tape and string, with a marshmallow on top. It quickly exposes how teams plan, prototype and cope with failure.',
    'problem_solving',
    45, 4, 60,
    array['onsite'],
    array[
      'Experience the value of early prototyping and iteration',
      'Observe how the team plans, divides roles and handles pressure',
      'Reflect on the risk of untested assumptions'
    ],
    array[
      '20 sticks of dry spaghetti per team',
      'One metre (about one yard) of masking tape per team',
      'One metre of string per team',
      'One standard-size marshmallow per team',
      'Scissors',
      'Measuring tape',
      'A countdown timer visible to everyone'
    ],
    'Pack one kit per team of 3-5 people in a paper bag. Set up tables with enough space between teams and prepare a large countdown timer.',
    array[
      'Form teams of 3-5 people and give each team a kit.',
      'Explain the rules: build the tallest free-standing structure you can; the whole marshmallow must be on top; you may break the spaghetti and cut the tape and string; the paper bag is not part of the kit; the structure may not be suspended from anything above.',
      'Explain that height is measured from the table surface to the top of the marshmallow, and that a structure someone is still holding when time runs out does not count.',
      'Start an 18-minute timer and announce the time remaining at 10, 5, 2 and 1 minute.',
      'When time is up, ask everyone to let go and step back from their structure.',
      'Measure each standing structure and announce the winner.',
      'Debrief on how the teams worked, paying special attention to when each team first put the marshmallow on top.'
    ],
    array[
      'Note when each team first tests with the marshmallow; teams that test late often see their tower collapse in the final minute.',
      'Resist giving hints during the build; let the lessons emerge in the debrief.',
      'In widely reported runs of this exercise, young children often outperform business students because they prototype early instead of planning one perfect design; it makes a memorable talking point.'
    ],
    array[
      'When did your team first put the marshmallow on top, and what happened?',
      'How were roles and decisions distributed in your team?',
      'Which assumption turned out to be wrong?',
      'How does this relate to the way we plan and test our real projects?'
    ],
    array['problem-solving', 'prototyping', 'building', 'iteration', 'classic', 'competition']
  ),
  (
    'lost-at-sea',
    'Lost at Sea Survival Ranking',
    'Individuals, then teams, rank 15 items salvaged from a sinking yacht by their importance for survival and compare both rankings with an expert answer. Teams usually beat most of their members, which makes the value of pooling knowledge tangible.',
    'problem_solving',
    60, 3, 40,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Compare the quality of individual and group decisions',
      'Practise reaching consensus through reasoning rather than voting',
      'Surface how influence and expertise play out in the team'
    ],
    array[
      'A ranking sheet listing the 15 items, with columns for individual rank, team rank and expert rank',
      'Pens',
      'A calculator or shared spreadsheet for scoring'
    ],
    'Prepare a ranking sheet with these items: a sextant, a shaving mirror, a 5-gallon (about 20-litre) can of water, mosquito netting, a case of army field rations, maps of the Pacific Ocean, a floating seat cushion, a 2-gallon can of oil and petrol mixture, a small transistor radio, shark repellent, 20 square feet of opaque plastic sheeting, a bottle of high-proof rum, 15 feet of nylon rope, two boxes of chocolate bars and a fishing kit. Keep the expert ranking to hand but hidden.',
    array[
      'Set the scene: after a fire sank your yacht you are adrift on a life raft in the South Pacific, about a thousand miles from land, with 15 salvaged items, a box of matches and some cash.',
      'Give everyone 10 minutes to rank the items alone, from 1 (most important) to 15 (least important), without talking.',
      'Form teams of 4-6 and give them 20 minutes to agree on a team ranking through discussion, asking them to avoid majority votes, averaging and trading.',
      'Reveal the widely published expert ranking: shaving mirror, oil and petrol mixture, water, rations, plastic sheeting, chocolate, fishing kit, nylon rope, seat cushion, shark repellent, rum, radio, maps, mosquito netting, sextant. Explain its logic: your best chance is to be seen and rescued, so signalling items come first and navigation items last.',
      'Have each person calculate their individual score by adding up the absolute differences between their rank and the expert rank for every item, then calculate each team score the same way. Lower scores are better.',
      'Ask each team to compare its team score with the average and the best individual scores of its members.',
      'Debrief with a focus on how each team reached its decisions.'
    ],
    array[
      'Remote and hybrid teams can use a shared spreadsheet with formulas that calculate the scores automatically.',
      'Watch for moments when a correct minority view was overruled; they make excellent debrief material.',
      'Keep the focus on the decision process rather than on who knew the most about sailing.'
    ],
    array[
      'Did the team score beat the average individual score, and why?',
      'Whose ideas were adopted, and was it because of their reasoning or their confidence?',
      'How did the team handle disagreements?',
      'What does this tell us about how we make decisions at work?'
    ],
    array['problem-solving', 'decision-making', 'consensus', 'survival-scenario', 'classic']
  ),
  (
    'escape-room-puzzle-challenge',
    'Escape-Room Style Puzzle Challenge',
    'Teams solve a chain of linked puzzles, such as a cipher, a hidden number and a logic riddle, to open a final lock or unlock a password before time runs out. This facilitator-built escape room rewards parallel work, sharing clues and combining different thinking styles.',
    'problem_solving',
    75, 4, 30,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Practise dividing work and sharing information under time pressure',
      'Combine different thinking styles to solve varied puzzles',
      'Have fun and celebrate a shared success'
    ],
    array[
      'A lockable box or envelope with a 3- or 4-digit combination padlock (onsite) or a form that checks a password (remote)',
      'Printed or digital puzzle sheets for each team',
      'A small reward to place in the box',
      'Pens and scrap paper',
      'Timer'
    ],
    'Design three or four puzzles whose answers combine into the final code, for example a Caesar cipher that decodes to a hiding place, a logic riddle whose answer is one digit and a picture with a number hidden in it. Test the whole chain with a colleague, aiming for 30-40 minutes of play, and write two hints per puzzle.',
    array[
      'Form teams of 4-6 people and give each team its puzzle pack or the link to its digital room.',
      'Tell the story, for example: the team has 45 minutes to recover the launch code that a colleague locked away before leaving on holiday.',
      'Explain the rules: puzzles can be worked on in parallel, each team may ask for up to three hints, and each hint adds 3 minutes to the team''s time.',
      'Start the clock and move between teams, observing how they share information.',
      'Give hints on request, starting with the gentlest version.',
      'When a team enters the correct final code, note its time and let it open the box or see the success screen.',
      'Stop all teams at the time limit, reveal any unsolved answers and announce the results.'
    ],
    array[
      'Make each puzzle need a different skill, such as wordplay, numbers, spatial reasoning or careful observation, so everyone can contribute.',
      'Test the puzzles on someone outside the team; designers nearly always underestimate difficulty.',
      'For remote teams, give each team its own breakout room, a shared document and a simple online form that checks the answers.'
    ],
    array[
      'How did your team decide who worked on what?',
      'Were there moments when a clue was found but not shared?',
      'What helped you get unstuck?',
      'What would you do differently if you played again?'
    ],
    array['problem-solving', 'puzzles', 'escape-room', 'collaboration', 'time-pressure', 'competition']
  ),
  (
    'egg-drop-challenge',
    'Egg Drop Challenge',
    'Teams spend a limited budget on everyday materials to build a contraption that protects a raw egg dropped from a height of two metres or more. It combines planning, resource trade-offs and a dramatic test at the end.',
    'problem_solving',
    60, 4, 50,
    array['onsite'],
    array[
      'Practise planning under resource constraints',
      'Balance creative ideas with practical engineering',
      'Celebrate experimentation and learning from failure'
    ],
    array[
      'One raw egg per team, plus a few spares',
      'Drinking straws',
      'Paper',
      'Rubber bands',
      'Masking tape',
      'Plastic bags',
      'Cotton wool or other packing material',
      'Scissors',
      'A safe drop point, such as a step ladder or balcony with a solid railing',
      'Plastic sheeting or bin bags to protect the floor'
    ],
    'Find a safe drop point of at least 2 metres and cover the landing area. Give each material a price (for example, straws 1 credit each, tape 5 credits per metre) and give every team the same budget so they have to make trade-offs.',
    array[
      'Form teams of 3-5 and explain the challenge: design and build a device that keeps a raw egg intact when dropped from the drop point.',
      'Show the materials and their prices and give each team its budget.',
      'Give teams 10 minutes to plan and buy their materials; purchases are final.',
      'Give teams 25 minutes to build. They may not test with the real egg, but they may test with a substitute such as a ball of wet paper.',
      'Gather everyone at the drop point and have each team present its design in 30 seconds.',
      'Drop each device in turn and check the egg together.',
      'Recognise the surviving eggs, the lowest-cost successful design and the most creative design.'
    ],
    array[
      'Check for egg allergies in advance and have cleaning supplies ready.',
      'Only the facilitator or a designated person drops the devices, from a stable position; nobody should lean over railings.',
      'Encourage teams to sketch at least two designs before buying anything.'
    ],
    array[
      'How did your team decide how to spend its budget?',
      'What did you test before the final drop, and what did you learn from it?',
      'Which team''s approach surprised you, and why?',
      'How do we make trade-offs between cost and risk in our real work?'
    ],
    array['problem-solving', 'building', 'engineering', 'constraints', 'onsite', 'competition']
  ),
  (
    'human-knot',
    'Human Knot',
    'Standing in a circle, everyone grabs the hands of two different people across the circle, and the group must untangle itself into a circle without letting go. A physical puzzle that calls for patience, clear communication and a lot of laughter.',
    'problem_solving',
    15, 8, 36,
    array['onsite'],
    array[
      'Practise coordinating as a group on a physical puzzle',
      'Encourage clear, calm communication under mild pressure',
      'Energise the group'
    ],
    array[
      'Open floor space free of furniture'
    ],
    'Find a clear space free of furniture and trip hazards. Check whether anyone would prefer to avoid close physical contact and offer them the observer role.',
    array[
      'Ask 8-12 people to stand shoulder to shoulder in a circle; if you have more people, form several circles.',
      'Ask everyone to reach their right hand across the circle and take the hand of someone who is not standing next to them.',
      'Ask everyone to reach their left hand across and take the hand of a different person, again not a direct neighbour.',
      'Explain the goal: untangle the knot into a single circle, or sometimes two linked circles, without letting go of hands.',
      'Start a 10-minute timer and let the group work it out by stepping over arms, ducking under them and turning around.',
      'If the group is truly stuck after several minutes, allow one ''unlock'': a single pair may let go and re-join hands.',
      'Celebrate when the circle forms and debrief while people catch their breath.'
    ],
    array[
      'Remind people to hold hands loosely so wrists can rotate without twisting.',
      'Give observers a task, such as noting who gives instructions and how the group decides what to try next.',
      'Avoid this activity with groups who have just met or where physical contact may feel uncomfortable.'
    ],
    array[
      'How did the group decide which move to try next?',
      'What helped and what hindered communication inside the knot?',
      'How did it feel when someone else''s move affected you?'
    ],
    array['problem-solving', 'energiser', 'physical', 'onsite', 'coordination']
  ),
  (
    'helium-stick',
    'Helium Stick',
    'Two facing lines of people must lower a long, light stick to the ground while keeping it resting on their index fingers, with every finger touching it at all times. The stick tends to float upwards, creating a surprising lesson about coordination and blame.',
    'problem_solving',
    20, 6, 28,
    array['onsite'],
    array[
      'Experience how individual actions add up to a group outcome',
      'Practise pausing to agree on a shared strategy',
      'Discuss how the team reacts to frustration and blame'
    ],
    array[
      'A long, light rod about 3 metres long, such as a tent pole or thin plastic pipe'
    ],
    'Get a light pole long enough for the whole group to stand along it in two facing lines. Practise the set-up once so you can demonstrate the finger position.',
    array[
      'Ask the group to form two lines facing each other, about shoulder width apart.',
      'Ask everyone to hold out their index fingers at chest height, pointing forwards, and lay the stick across all the fingers.',
      'Explain the rules: lower the stick to the ground while every person''s fingers stay in contact with it at all times; no one may grip or hook the stick.',
      'Start the attempt; whenever anyone''s finger loses contact, the stick goes back to the starting height.',
      'Let the group struggle for a few minutes; the stick will usually rise as everyone pushes up to stay in contact.',
      'After a few failed attempts, call a 2-minute pause for the group to agree on a strategy.',
      'Let the group try again until it succeeds or about 15 minutes have passed.'
    ],
    array[
      'Do not explain why the stick rises; let the group discover it.',
      'Watch for blaming comments and for the moment someone starts coordinating; both are rich debrief material.',
      'With more than 14 people, use one stick per group of 6-14 and let the groups attempt it side by side.'
    ],
    array[
      'Why did the stick go up when everyone was trying to lower it?',
      'What changed when you stopped to plan?',
      'How did people react when attempts failed, and how did that feel?',
      'Where in our work do well-meaning individual actions add up to the opposite of what we want?'
    ],
    array['problem-solving', 'coordination', 'physical', 'onsite', 'systems-thinking']
  ),
  (
    'five-whys',
    'Five Whys Root Cause Analysis',
    'Starting from a concrete problem, the team repeatedly asks why it happened until it reaches a cause it can act on, usually about five levels deep. It moves the discussion from symptoms and blame to fixable root causes.',
    'problem_solving',
    45, 3, 10,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Find actionable root causes of a real problem',
      'Move the conversation from blaming people to improving processes',
      'Agree on concrete countermeasures with owners'
    ],
    array[
      'Whiteboard or digital board',
      'Sticky notes',
      'Markers'
    ],
    'Choose a specific, recent problem with a clear impact, such as ''the March release was delayed by two days'', and write it as a factual statement. Invite the people who were closest to the problem.',
    array[
      'Write the problem statement at the top of the board and check that everyone agrees with its wording.',
      'Ask why this happened, collect fact-based answers and write the agreed answer below the problem.',
      'Ask why again about that answer and write the next cause below it.',
      'Keep asking why until you reach a cause the team can act on, typically after about five rounds; branch the chain if several causes contributed.',
      'Check the chain by reading it from the bottom up with ''and therefore'' between the steps to confirm each one leads logically to the next.',
      'For each root cause, brainstorm countermeasures for 10 minutes and choose the one or two with the best impact for the effort.',
      'Assign an owner and a date to each countermeasure and agree when you will check whether it worked.'
    ],
    array[
      'Focus on processes and systems, not people; if an answer is ''someone made a mistake'', ask why the system allowed that mistake.',
      'Five is a guideline, not a rule; stop when you reach something you can change.',
      'Ask for evidence when answers sound like guesses.'
    ],
    array[
      'Did we find a cause we can actually change?',
      'Were there moments when we were tempted to blame a person rather than a process?',
      'How will we know that our countermeasure worked?'
    ],
    array['problem-solving', 'root-cause', 'retrospective', 'lean', 'continuous-improvement']
  ),
  (
    'six-thinking-hats',
    'Six Thinking Hats',
    'The group explores a decision by thinking in one mode at a time: facts, feelings, risks, benefits, new ideas and process, each represented by a coloured hat. Because everyone wears the same hat at the same time, arguments give way to a fuller view of the problem.',
    'problem_solving',
    60, 3, 12,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Explore a decision thoroughly from several perspectives',
      'Separate critical thinking from idea generation',
      'Reduce adversarial debate in meetings'
    ],
    array[
      'A whiteboard or digital board divided into six coloured areas',
      'Sticky notes',
      'Optional: coloured cards to show which hat is active'
    ],
    'Frame the decision as a clear question, for example ''Should we move our weekly planning to a fortnightly cycle?''. Prepare six areas on the board: white (facts and information), red (feelings and intuition), black (risks and caution), yellow (benefits and value), green (new ideas and alternatives) and blue (process and next steps).',
    array[
      'Explain the six modes of thinking and the key rule: everyone thinks in the same mode at the same time.',
      'Start with the blue hat for 3 minutes to agree on the question and the order of the hats for this session.',
      'Spend about 5 minutes on the white hat, listing the facts you know and the information you are missing.',
      'Spend 3 minutes on the red hat: everyone shares their gut feeling in one sentence, with no justification needed.',
      'Spend 7 minutes each on the yellow hat (benefits) and the black hat (risks), capturing points on sticky notes.',
      'Spend 10 minutes on the green hat, generating ideas and alternatives, including ways to reduce the risks raised under the black hat.',
      'Finish with the blue hat: summarise, make or schedule the decision and agree on next steps and owners.'
    ],
    array[
      'Gently redirect anyone who slips into a different mode, for example: ''that sounds like a black-hat point; let''s park it for a moment''.',
      'Keep the red hat short and judgement-free; feelings are useful data.',
      'Adapt the sequence to the situation, but always open and close with the blue hat.'
    ],
    array[
      'Which hat produced the most useful insights for this decision?',
      'How did thinking in parallel compare with our usual debates?',
      'Which hat do you naturally favour, and which do you tend to neglect?'
    ],
    array['problem-solving', 'decision-making', 'parallel-thinking', 'meetings', 'critical-thinking']
  ),
  (
    'crazy-8s',
    'Crazy 8s',
    'Each person folds a sheet of paper into eight panels and sketches eight different ideas in eight minutes, one per minute. The speed pushes people past their first obvious idea, and the sketches make ideas easy to compare.',
    'creativity',
    30, 2, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Generate many diverse ideas quickly',
      'Push past the first, most obvious solution',
      'Make ideas visual and easy to discuss'
    ],
    array[
      'One sheet of A4 or letter paper per person',
      'Thick markers',
      'A timer that can signal every minute',
      'Dot stickers or a digital voting tool'
    ],
    'Define the problem as a clear ''how might we'' question, such as ''How might we make the first week feel welcoming for new hires?''. Set up a timer that beeps every minute.',
    array[
      'Share the ''how might we'' question and make sure everyone understands it.',
      'Ask everyone to fold their paper in half three times so it has eight panels when unfolded; remote participants can draw eight boxes instead.',
      'Start the timer: participants have one minute per panel to sketch one idea, moving on at each beep.',
      'Remind people that rough sketches and stick figures are fine and that variations on an earlier idea count.',
      'After eight minutes, give everyone 2 minutes to pick their favourite idea and add a short caption.',
      'Have each person present their sheet in about a minute, highlighting their favourite.',
      'Give everyone three dot votes to mark the ideas the group should explore further.'
    ],
    array[
      'Use thick markers; they discourage detail and keep the sketches fast.',
      'If people freeze, suggest drawing the opposite of their last idea or combining two earlier ones.',
      'Run a second round focused on the top-voted idea to generate variations of it.'
    ],
    array[
      'How did your ideas change from the first panel to the last?',
      'Which idea would you never have suggested in a normal meeting?',
      'Which ideas are worth prototyping next?'
    ],
    array['creativity', 'ideation', 'design-sprint', 'sketching', 'quick']
  ),
  (
    'reverse-brainstorming',
    'Reverse Brainstorming',
    'Instead of asking how to solve a problem, the group brainstorms how to cause it or make it worse, then flips each bad idea into a possible solution. It lowers the pressure to be brilliant and exposes hidden assumptions.',
    'creativity',
    40, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Generate solutions from a fresh, playful angle',
      'Surface hidden causes and risks of a problem',
      'Encourage participation from people who hold back in ordinary brainstorms'
    ],
    array[
      'A whiteboard or digital board with two columns',
      'Sticky notes in two colours',
      'Markers'
    ],
    'Phrase the problem positively, for example ''How can we make customer support faster?'', and prepare its reverse: ''How could we make customer support as slow and frustrating as possible?''.',
    array[
      'Introduce the problem, then reveal the reversed question.',
      'Give everyone 7 minutes to silently write as many ways as possible to achieve the reversed goal, one per sticky note.',
      'Have people place their notes in the first column and read them out, grouping similar ideas.',
      'Ask which bad ideas are uncomfortably close to what happens today, and mark them.',
      'For each cluster, spend 10-15 minutes flipping the bad ideas into positive actions, writing each on a sticky note of the second colour in the second column.',
      'Vote on the most promising solutions and agree who will explore them further.'
    ],
    array[
      'Encourage exaggeration and humour in the reverse phase; it frees up thinking.',
      'Pay special attention to ''we already do that'' reactions; they point to real problems.',
      'Keep the reverse phase strictly separate from the solution phase so people do not censor themselves.'
    ],
    array[
      'Which bad ideas were closest to our current reality?',
      'Which of the flipped solutions are new to us?',
      'How did approaching the problem backwards change the discussion?'
    ],
    array['creativity', 'ideation', 'brainstorming', 'problem-framing', 'humour']
  ),
  (
    'story-dice-chain',
    'Story Dice Chain',
    'The group builds a story together one or two sentences at a time, with each person weaving in the picture they roll on a set of image dice. It exercises improvisation, listening and building on other people''s ideas.',
    'creativity',
    30, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Practise building on each other''s ideas',
      'Stretch imagination and improvisation',
      'Create a shared, funny story the team will remember'
    ],
    array[
      'A set of picture dice showing everyday images (bought, or blank dice with hand-drawn icons)',
      'For remote groups: a slide of 36 numbered icons and an online dice roller or random number generator'
    ],
    'Get a set of picture dice, or prepare a slide of 36 numbered icons for remote play. Choose an opening line, such as ''On the first day of the new project, nobody expected...''.',
    array[
      'Sit in a circle, or agree on a speaking order for remote groups.',
      'Read the opening line and roll or reveal the first image.',
      'The first person continues the story in one or two sentences that include the image they rolled.',
      'Pass to the next person, who rolls a new image and continues from exactly where the previous person stopped.',
      'Continue for two or three full rounds, allowing about 30 seconds per turn.',
      'Ask the last person to roll and bring the story to an ending.',
      'Optionally, ask the group to give the story a title and retell it in three sentences.'
    ],
    array[
      'Encourage people to accept what came before instead of rewriting it; this is the core skill being practised.',
      'Keep the pace quick so there is no time to overthink.',
      'With more than eight people, run parallel circles and have each share its title and a short summary at the end.'
    ],
    array[
      'What happened when someone took the story in an unexpected direction?',
      'How did it feel to build on someone else''s idea rather than follow your own plan?',
      'Where in our work could we build on ideas more instead of starting over?'
    ],
    array['creativity', 'storytelling', 'improvisation', 'listening', 'playful']
  ),
  (
    'yes-and-improv',
    'Yes, And... Improv Planning',
    'Pairs plan an imaginary event twice: first replying to every suggestion with ''Yes, but...'', then with ''Yes, and...''. The contrast shows vividly how building on ideas, rather than blocking them, changes a group''s energy and creativity.',
    'creativity',
    20, 4, 40,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Experience the difference between blocking ideas and building on them',
      'Encourage a more open, generative meeting culture',
      'Energise the group with a short improvisation exercise'
    ],
    '{}'::text[],
    'Choose a light planning topic, such as a team outing, a surprise party or a holiday on the moon. Prepare a short explanation of the ''yes, and'' principle from improvisational theatre.',
    array[
      'Form pairs and introduce the planning topic.',
      'Round one: for 3 minutes, partners take turns suggesting ideas, but every reply must begin with ''Yes, but...'' and point out a problem.',
      'Stop and ask a few pairs how their plan is going and how the conversation felt.',
      'Round two: for 3 minutes, the same pairs plan the same event, but every reply must begin with ''Yes, and...'' and add to the previous idea.',
      'Stop and ask a few pairs to share the plan they made in round two.',
      'Discuss the difference between the two rounds with the whole group.'
    ],
    array[
      'Encourage absurd ideas in round two; the goal is momentum, not a realistic plan.',
      'Point out that ''yes, and'' does not mean agreeing with everything in real life, but it is very valuable while generating ideas.',
      'For remote groups, use breakout rooms of two and bring everyone back between the rounds.'
    ],
    array[
      'How did the energy differ between the two rounds?',
      'Which round produced more ideas, and which produced better ones?',
      'Where do we say ''yes, but'' in our meetings when ''yes, and'' would help?'
    ],
    array['creativity', 'improv', 'energiser', 'ideation', 'mindset']
  ),
  (
    'thirty-circles-challenge',
    '30 Circles Challenge',
    'Everyone gets a sheet with 30 empty circles and three minutes to turn as many as possible into recognisable objects, such as a clock, a ball or a face. Comparing results reveals how self-editing and the hunt for originality slow down idea generation.',
    'creativity',
    15, 2, 100,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Warm up creative thinking before an ideation session',
      'Show the trade-off between quantity and originality',
      'Reveal how unstated assumptions limit ideas'
    ],
    array[
      'One sheet per person with 30 empty circles of about 2.5 cm (1 inch) in diameter',
      'Pens'
    ],
    'Print one sheet per person, or ask remote participants to draw a grid of 30 circles (six rows of five) before the session starts.',
    array[
      'Hand out the sheets and explain the task: turn as many circles as possible into recognisable objects in three minutes.',
      'Start the timer without giving any further explanation or examples.',
      'Stop after three minutes and ask everyone to count how many circles they filled.',
      'Ask who filled ten or more, twenty or more and all thirty, and invite the highest scorer to show their sheet.',
      'Ask whether anyone broke a rule they had assumed, for example by combining several circles into one drawing or by making variations on a theme such as different sports balls.',
      'Connect the exercise to the ideation work that follows: generate lots of ideas first and judge them later.'
    ],
    array[
      'Do not say that combining circles is allowed; the lesson is stronger when people realise nobody said it was forbidden.',
      'Keep the tone light and make sure nobody feels judged for a low count.'
    ],
    array[
      'What stopped you from filling more circles?',
      'Did you spend time searching for original ideas instead of producing many?',
      'Which rules did you assume that were never stated?'
    ],
    array['creativity', 'warm-up', 'ideation', 'quick', 'large-groups']
  ),
  (
    'forced-connections',
    'Forced Connections',
    'The group pairs its challenge with random objects, words or images and forces links between them to generate new ideas. A simple technique for breaking familiar thinking patterns when a brainstorm has stalled.',
    'creativity',
    40, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Generate unusual ideas by combining unrelated concepts',
      'Break habitual patterns of thinking',
      'Give the group a structured way to restart a stalled brainstorm'
    ],
    array[
      'A bag of 10-15 random everyday objects, or a slide of random words and images',
      'Sticky notes',
      'Markers',
      'A whiteboard or digital board'
    ],
    'Write the challenge as a ''how might we'' question. Collect 10-15 random objects or prepare a slide of random words and images, such as an umbrella, a compass, a vending machine, a beehive and a postcard.',
    array[
      'Present the challenge and give a quick example of a forced connection, such as an umbrella leading to ''a way to shield customers from confusing updates''.',
      'Split into groups of 3-4 and give each group three random objects or words.',
      'Ask each group to spend 5 minutes listing the attributes of each object: what it does, what it is made of, how and where people use it.',
      'Give groups 10 minutes to force connections between those attributes and the challenge, writing each resulting idea on a sticky note.',
      'Rotate the objects between groups and repeat for another 8 minutes.',
      'Have each group present its three most interesting ideas.',
      'Vote as a whole group on the ideas to develop further.'
    ],
    array[
      'Choose objects that are concrete and rich in attributes; abstract words are harder to work with.',
      'Accept far-fetched connections at first; practical versions can come later.',
      'If a group is stuck, ask: ''How would this object solve our problem if it were in charge?'''
    ],
    array[
      'Which random object led to the most surprising idea?',
      'How did these ideas differ from our usual suggestions?',
      'Which idea deserves a small experiment?'
    ],
    array['creativity', 'ideation', 'lateral-thinking', 'brainstorming', 'random-stimulus']
  ),
  (
    'blind-polygon',
    'Blind Polygon',
    'Blindfolded team members hold a long loop of rope and must work together to form a specific shape, such as a square or a triangle, without seeing. It highlights the importance of listening, structured communication and leadership under uncertainty.',
    'trust',
    30, 6, 16,
    array['onsite'],
    array[
      'Practise structured verbal communication without visual cues',
      'Build trust in teammates'' guidance',
      'Observe how leadership and organisation emerge under uncertainty'
    ],
    array[
      'A rope about 15-20 metres long, tied into a loop',
      'A blindfold or eye mask for each participant',
      'A large open space free of obstacles'
    ],
    'Clear a large space and remove trip hazards. Check in advance whether anyone is uncomfortable with blindfolds and offer them the role of safety spotter or observer instead.',
    array[
      'Ask everyone to put on their blindfolds, then place the rope loop in their hands.',
      'Explain the task: using the whole rope, form a perfect square with everyone holding on, and tell me when you think you are done.',
      'State the rules: blindfolds stay on, nobody lets go of the rope, and anyone can call ''stop'' at any time for safety.',
      'Start the timer and observe, staying close to the group to keep everyone safe.',
      'When the group says it has finished, ask everyone to lay the rope on the floor, remove their blindfolds and look at the shape.',
      'If time allows, run a second round with a harder shape, such as a triangle with equal sides, after a 2-minute planning pause without blindfolds.'
    ],
    array[
      'Keep a close eye on safety and gently steer people away from walls and furniture.',
      'Note who speaks, who organises and who stays silent, and share these observations respectfully in the debrief.',
      'Participation is always voluntary; anyone may lift their blindfold if they feel uncomfortable.'
    ],
    array[
      'How did the group organise itself without being able to see?',
      'Who led, and how did the group decide to follow them?',
      'What did it feel like to rely entirely on other people''s words?',
      'What did you do differently in the second round?'
    ],
    array['trust', 'communication', 'blindfold', 'leadership', 'onsite', 'physical']
  ),
  (
    'minefield',
    'Minefield',
    'In pairs, a blindfolded walker crosses an area scattered with soft obstacles while their partner guides them using only their voice. It builds trust and shows how much clear, concise guidance matters when someone depends on it.',
    'trust',
    30, 4, 30,
    array['onsite'],
    array[
      'Build trust between partners',
      'Practise giving clear, timely instructions',
      'Practise listening for one voice among many'
    ],
    array[
      'One blindfold per pair',
      'Soft objects to act as ''mines'', such as paper balls, cushions, plastic cups or cones',
      'Tape or rope to mark the boundaries of the field'
    ],
    'Mark out a rectangle of about 10 by 5 metres and scatter the soft objects across it. Remove anything that could cause someone to trip or fall.',
    array[
      'Form pairs and ask one person in each pair to put on a blindfold.',
      'Explain the task: the sighted partner guides the blindfolded walker from one end of the field to the other using only their voice; touching a mine sends the walker back to the start.',
      'Explain that guides must stay outside the field and may not touch their partner.',
      'Start all pairs at the same time so walkers have to pick out their partner''s voice from the noise.',
      'When a pair finishes, or after 5 minutes, swap roles and rearrange the mines.',
      'Optionally, run a third round in which each pair first gets 2 minutes to agree on a set of simple commands.'
    ],
    array[
      'Ask walkers to move slowly, with their hands held in front of them at chest height.',
      'Keep the field free of hard or sharp objects at all times.',
      'Offer anyone who does not want to wear a blindfold the option to close their eyes instead or to act as the guide twice.'
    ],
    array[
      'What made it easier or harder to trust your guide?',
      'How did you make your instructions clear enough?',
      'What difference did agreeing on commands in advance make?',
      'Where in our work do people depend on our guidance, and how clear is it?'
    ],
    array['trust', 'communication', 'blindfold', 'pairs', 'onsite', 'physical']
  ),
  (
    'trust-battery-check-in',
    'Trust Battery Check-In',
    'Using the image of a ''trust battery'' that charges or drains with every interaction, pairs reflect on their working relationship and agree on specific actions that would charge it. It gives teams a non-judgemental language for talking about trust.',
    'trust',
    45, 2, 12,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Give the team a shared, light-hearted vocabulary for trust',
      'Identify specific behaviours that build or drain trust',
      'Agree on concrete actions to strengthen key working relationships'
    ],
    array[
      'Paper or a private digital note for each person',
      'A slide or flip chart explaining the trust battery metaphor',
      'Timer'
    ],
    'Prepare a short explanation of the metaphor: every working relationship has a battery that starts partly charged, goes up when people keep promises and communicate openly, and runs down when they do not. Decide which pairs will meet, ideally people who work together often.',
    array[
      'Explain the trust battery and give examples of actions that charge it (delivering on commitments, giving credit, being transparent) and drain it (missing deadlines without warning, surprising someone in public).',
      'Give everyone 5 minutes to reflect privately on what generally charges and drains their own trust battery at work.',
      'Form pairs and give each pair 10 minutes to share what charges their battery and one thing the other person already does that charges it.',
      'In the same pairs, each person makes one specific request phrased as a behaviour, for example ''let me know early when priorities change''.',
      'If time allows, rotate to a second pair for another 10-minute conversation.',
      'Bring the group together and invite volunteers to share general patterns, not details of individual conversations.',
      'Collect the team-wide charging behaviours into a short list the team can refer back to.'
    ],
    array[
      'Keep the focus on behaviours and requests rather than scores; sharing percentages about each other can feel like grading.',
      'Model the pair conversation with a co-facilitator or trusted colleague before the pairs start.',
      'If a relationship is in real conflict, do not use this exercise to resolve it; arrange a separate, supported conversation.'
    ],
    array[
      'Which behaviours charge trust most in our team?',
      'What request did you make, and how did it feel to make it?',
      'How will we notice when our trust batteries are running low?'
    ],
    array['trust', 'feedback', 'relationships', 'pairs', 'psychological-safety']
  ),
  (
    'personal-histories',
    'Personal Histories',
    'Each person answers three light personal questions, such as where they grew up, how many siblings they have and a memorable challenge from childhood. These small stories build empathy and lay a foundation for trust in new or established teams.',
    'trust',
    30, 3, 12,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Build understanding of each other''s backgrounds',
      'Take a safe first step towards openness and vulnerability',
      'Strengthen empathy within the team'
    ],
    '{}'::text[],
    'Prepare three questions, for example: where did you grow up; how many siblings do you have and where are you in the order; what was a particular challenge or memorable experience from your childhood? Prepare your own answers so you can go first.',
    array[
      'Explain the purpose: to learn a little more about each other''s backgrounds, with everyone sharing only what they are comfortable with.',
      'Share the three questions and give everyone 2 minutes to think.',
      'Go first, answering all three questions in about 2 minutes.',
      'Invite everyone else to answer in turn, going around the group.',
      'Allow one short clarifying question after each person, without analysis or advice.',
      'Close by thanking everyone and noting that these stories help us interpret each other''s behaviour more generously.'
    ],
    array[
      'Emphasise that people can keep their answers light; a small childhood memory is perfectly fine.',
      'Keep the questions non-intrusive and steer away from topics such as health, money or trauma.',
      'Ask the group to agree that what is shared stays in the room.'
    ],
    array[
      'What did you learn about someone that helps you understand them better?',
      'How did it feel to share something personal?',
      'What could we do to keep learning about each other?'
    ],
    array['trust', 'vulnerability', 'storytelling', 'getting-to-know-you', 'empathy']
  ),
  (
    'fears-in-a-hat',
    'Fears in a Hat',
    'Everyone anonymously writes down a worry about a project, role or change, the notes are mixed in a hat, and each person reads one aloud and describes what its writer might be feeling. It shows that concerns are shared and builds empathy without putting anyone on the spot.',
    'trust',
    30, 5, 30,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Surface concerns that people hesitate to share openly',
      'Show that worries are common and normal',
      'Build empathy by voicing someone else''s concern'
    ],
    array[
      'Identical slips of paper',
      'Pens of the same colour',
      'A hat, bowl or box',
      'For remote groups: an anonymous online form'
    ],
    'Decide on the focus, such as ''my biggest worry about this project'' or ''my biggest concern about joining a new team''. For remote groups, set up an anonymous form and a way to assign one response at random to each person.',
    array[
      'Explain the focus and reassure everyone that contributions are anonymous.',
      'Give everyone 3 minutes to write one worry on a slip, fold it and put it in the hat.',
      'Mix the slips and have each person draw one, swapping if they draw their own.',
      'Each person reads their worry aloud and spends about a minute describing what the writer might be feeling and why.',
      'The group listens without discussing or debating each worry.',
      'When all the slips have been read, ask the group what themes they noticed and note them on a board.',
      'Discuss which themes the team can address together and agree on one or two actions.'
    ],
    array[
      'Use identical paper and pens to protect anonymity.',
      'Model a thoughtful, respectful reading with the first slip.',
      'If a worry points to a serious issue, acknowledge it and follow up privately or through the right channels rather than discussing it in the group.'
    ],
    array[
      'Which themes appeared in our worries?',
      'How did it feel to hear your own worry voiced by someone else?',
      'What can we do as a team to ease the most common concerns?'
    ],
    array['trust', 'psychological-safety', 'anonymous', 'empathy', 'change']
  ),
  (
    'delegation-poker',
    'Delegation Poker',
    'The team discusses real decision scenarios and simultaneously plays cards showing seven levels of delegation, from ''tell'' (the manager decides) to ''delegate'' (the team decides alone). Popularised by Management 3.0, it clarifies who decides what and builds trust through explicit agreements.',
    'trust',
    60, 3, 10,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Clarify decision-making authority for recurring situations',
      'Surface differing expectations about empowerment',
      'Create a visible delegation board the team can rely on'
    ],
    array[
      'A set of seven delegation cards per person (paper or digital)',
      'A list of 6-10 real decision scenarios',
      'A board or table for recording the agreed levels'
    ],
    'Prepare cards numbered 1-7: tell (I decide and inform you), sell (I decide and try to convince you), consult (I ask for your input, then decide), agree (we decide together), advise (I give advice, you decide), inquire (you decide and tell me afterwards) and delegate (you decide and I don''t need to know). Write 6-10 real decision scenarios, such as ''choosing the tools we use'' or ''selecting a new team member''.',
    array[
      'Explain the seven levels of delegation with an example for each.',
      'Read out the first scenario and give everyone 30 seconds to choose a card privately.',
      'On a count of three, everyone reveals their card at the same time.',
      'Ask the people who played the highest and lowest cards to explain their reasoning.',
      'Discuss for a few minutes, then play again until the team converges on a level everyone can accept.',
      'Record the agreed level on a delegation board with scenarios as rows and levels as columns.',
      'Repeat for the remaining scenarios, spending about 5-7 minutes on each.',
      'Agree when you will review the delegation board, for example every quarter.'
    ],
    array[
      'The manager plays as an equal participant; the point is a shared agreement, not a ruling.',
      'Emphasise that delegation grows step by step and that levels can change as trust and experience grow.',
      'Use scenarios that genuinely matter to the team, not hypothetical ones.'
    ],
    array[
      'Which scenario had the biggest spread of cards, and why?',
      'Where did our expectations about decision-making differ most?',
      'How will the delegation board change the way we work day to day?'
    ],
    array['trust', 'delegation', 'decision-making', 'management-3-0', 'empowerment', 'leadership']
  ),
  (
    'remote-scavenger-hunt',
    'Remote Scavenger Hunt',
    'The facilitator calls out items, such as something older than you or something that makes a noise, and participants race to find them nearby and show them on camera. It gets remote teams moving, laughing and sharing small glimpses of their lives.',
    'remote_friendly',
    30, 4, 50,
    array['remote', 'hybrid'],
    array[
      'Energise a remote team and get people away from their chairs',
      'Spark personal stories through everyday objects',
      'Create a shared, playful experience across locations'
    ],
    array[
      'A video call with cameras on',
      'A list of 10-15 scavenger items',
      'A scoreboard in a spreadsheet or on a whiteboard'
    ],
    'Write a list of 10-15 items most people will have at home or in the office, for example something blue, a book you would recommend, something from another country, a mug with a story or the oldest object within reach. Avoid items that depend on wealth or living situation.',
    array[
      'Explain the rules: when I call out an item you have 60 seconds to find it and show it on camera, and the first three people to show it score points.',
      'Ask participants to keep their cameras on and check that they can leave their desk briefly.',
      'Call out the first item and start the timer.',
      'When time is up, award points and ask one or two people for the story behind their item.',
      'Continue through the list, mixing quick finds with creative prompts such as ''something that represents your week''.',
      'Announce the final scores and the winner.'
    ],
    array[
      'Include creative prompts so everyone can score, whatever their home setup.',
      'Let people who cannot move around easily or prefer to keep their camera off describe an item instead of fetching it.',
      'In hybrid sessions, let people in the office form their own team and search the office.'
    ],
    array[
      'Which item had the best story behind it?',
      'What did you learn about a colleague''s world?',
      'How could we create more informal moments like this in our remote work?'
    ],
    array['remote', 'energiser', 'game', 'video-call', 'fun']
  ),
  (
    'virtual-show-and-tell',
    'Virtual Show and Tell',
    'Each person brings an object that means something to them and tells its story in two minutes, on camera or in the room. It recreates the personal connection of office conversations for distributed teams.',
    'remote_friendly',
    30, 3, 15,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Build personal connections in distributed teams',
      'Give everyone a short, equal moment in the spotlight',
      'Practise telling a short, engaging story'
    ],
    array[
      'A video call with cameras on, or a room screen for hybrid sessions',
      'One personal object per participant'
    ],
    'A day in advance, ask participants to choose an object with a story, such as a souvenir, a gift, a tool or something they made. Prepare your own object so you can go first.',
    array[
      'Explain the format: each person has up to 2 minutes to show their object and tell its story.',
      'Go first to model the length and level of detail.',
      'Invite each person in turn, using a random order or letting each speaker pass to the next by name.',
      'After each story, allow one quick question or reaction from the group.',
      'Keep time gently with a visible timer.',
      'Close by asking people to note one story they would like to follow up on.'
    ],
    array[
      'For teams of more than 15, use breakout rooms or spread the activity over several meetings with three or four people per session.',
      'Remind people that simple objects with small stories are just as welcome as exotic souvenirs.'
    ],
    array[
      'Which story surprised you most?',
      'What did you learn about a colleague''s life outside work?',
      'How could we keep sharing stories like these?'
    ],
    array['remote', 'storytelling', 'getting-to-know-you', 'video-call', 'distributed-teams']
  ),
  (
    'virtual-coffee-roulette',
    'Virtual Coffee Roulette',
    'People who opt in are randomly paired for informal 20-30 minute video chats with no agenda, repeated on a regular rhythm. It recreates the chance corridor conversations that remote work removes and connects people across teams.',
    'remote_friendly',
    30, 4, 200,
    array['remote', 'hybrid'],
    array[
      'Connect people who would not normally meet',
      'Strengthen informal networks across the organisation',
      'Reduce isolation in remote work'
    ],
    array[
      'A sign-up list or form',
      'A random pairing tool or spreadsheet',
      'A short list of optional conversation starters'
    ],
    'Invite people to opt in and choose a rhythm, such as every two weeks. Prepare a few conversation starters, for example ''What are you learning at the moment?'' or ''What was your first job?''.',
    array[
      'Announce the programme, explain that it is voluntary and collect sign-ups.',
      'Randomly pair the participants, avoiding people from the same immediate team where possible, and form one group of three if numbers are odd.',
      'Send each pair an introduction message with both names, their roles and the conversation starters.',
      'Ask one person in each pair to schedule a 20-30 minute video call within the next week.',
      'Encourage pairs to keep the conversation informal; talking about work is optional.',
      'Repeat the pairing at the agreed rhythm, avoiding repeat pairs.',
      'Every few rounds, ask for quick feedback and adjust the frequency or format.'
    ],
    array[
      'Make it easy to skip a round without explanation; voluntary programmes last longer.',
      'Leaders who take part send a strong signal that the time is valued.',
      'In hybrid organisations, let pairs meet for a real coffee when they happen to be in the same office.'
    ],
    array[
      'Who did you meet that you would not have met otherwise?',
      'Did any of the conversations lead to useful collaboration?',
      'How often should we run the roulette so it stays valuable without becoming a burden?'
    ],
    array['remote', 'networking', 'informal', 'cross-team', 'ongoing', 'one-to-one']
  ),
  (
    'team-trivia-quiz',
    'Team Trivia Quiz',
    'Mixed teams compete in a themed quiz with rounds such as general knowledge, pictures and ''guess the colleague''. An easy-to-run social event that works equally well on a video call, in a hybrid setting or in a room.',
    'remote_friendly',
    45, 6, 100,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Create a fun, shared social experience',
      'Encourage collaboration in small, mixed teams',
      'Celebrate team and company culture'
    ],
    array[
      'Quiz questions in 4-5 rounds',
      'Slides or an online quiz tool',
      'An answer sheet or shared form per team',
      'A scoreboard'
    ],
    'Write 4-5 rounds of 6-8 questions, for example general knowledge, a picture round, a music-intro round and a ''who is this?'' round built from facts colleagues sent in advance with their consent. Test the quiz tool, breakout rooms and audio sharing before the session.',
    array[
      'Split participants into mixed teams of 4-6 and let each team choose a name.',
      'Explain the rules: one answer per team per question, no searching online, and the quizmaster''s decision is final.',
      'Run the first round, reading each question clearly and allowing about 45 seconds per question.',
      'Collect the answers at the end of the round, reveal the correct ones and update the scoreboard.',
      'Continue with the remaining rounds, with a short break halfway through.',
      'Announce the winners and share a few of the best wrong answers.'
    ],
    array[
      'Mix easy and hard questions so every team scores points.',
      'Keep ''who is this?'' facts positive and only use facts people have agreed to share.',
      'For remote teams, send each team to a breakout room while they answer and bring everyone back for the reveals.'
    ],
    array[
      'Which question sparked the most debate in your team?',
      'How did your team settle on an answer when people disagreed?',
      'What would you like to see in the next quiz?'
    ],
    array['remote', 'quiz', 'game', 'social', 'large-groups', 'competition']
  ),
  (
    'collaborative-team-playlist',
    'Collaborative Team Playlist',
    'Everyone adds a song to a shared playlist on a theme with a short note about why they chose it, and the team listens to snippets together and guesses who picked what. A lightweight way for distributed teams to share personality and memories.',
    'remote_friendly',
    30, 3, 50,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Share something personal in a low-pressure way',
      'Create a shared artefact the team can enjoy later',
      'Spark conversations about memories and tastes'
    ],
    array[
      'A shared playlist in a music streaming service, or a shared document of song links',
      'A video call with screen and audio sharing'
    ],
    'Create the shared playlist or document and choose a theme, such as ''a song that reminds you of your first job'', ''your go-to focus track'' or ''a song from where you grew up''. Send the link a few days before the session.',
    array[
      'Announce the theme and ask everyone to add one song with a one-line note explaining their choice.',
      'In the session, shuffle the playlist and play the first 20-30 seconds of each song using screen sharing with audio.',
      'Let the group guess who added each song before revealing it.',
      'Ask the person who chose the song to share their reason in a sentence or two.',
      'Continue until all songs have been played or time runs out.',
      'Share the playlist afterwards so people can listen to the songs in full.'
    ],
    array[
      'Check that everyone can access the chosen music service, or accept links from any platform.',
      'Ask people to pick songs that are suitable for a work setting.',
      'Refresh the playlist with a new theme every month or quarter.'
    ],
    array[
      'Which song choice surprised you?',
      'What stories did the songs bring out?',
      'Which theme should we use next time?'
    ],
    array['remote', 'music', 'sharing', 'social', 'asynchronous']
  ),
  (
    'draw-and-guess-relay',
    'Draw and Guess Relay',
    'Team members take turns drawing a secret word on a shared online whiteboard while their teammates race to guess it. A fast, silly game that gets everyone on a video call involved.',
    'remote_friendly',
    30, 4, 30,
    array['remote', 'hybrid'],
    array[
      'Energise a remote meeting',
      'Encourage playful, visual communication',
      'Build team spirit through light competition'
    ],
    array[
      'A shared online whiteboard',
      'A list of 30-40 words or phrases, including some team jargon',
      'A video call with chat',
      'Timer'
    ],
    'Prepare 30-40 words of varying difficulty, such as ''deadline'', ''coffee break'', ''firewall'' or ''all-hands meeting''. Set up the whiteboard so everyone can draw on it and test it beforehand.',
    array[
      'Split participants into two or three teams and keep a scoreboard visible.',
      'Send the first drawer their word in a private message.',
      'The drawer has 60 seconds to draw the word on the whiteboard without using letters, numbers or symbols.',
      'Teammates guess aloud or in the chat; a correct guess scores a point for the team.',
      'If the team does not guess it in time, each other team gets one guess to steal the point.',
      'Clear the board and move to a drawer from the next team.',
      'Play until everyone has drawn at least once, then announce the winning team.'
    ],
    array[
      'Include a few workplace terms; drawing abstract ideas such as ''synergy'' always causes laughter.',
      'Let anyone who is uncomfortable drawing act out the word on camera instead.'
    ],
    array[
      'What made some drawings easy to guess?',
      'How did your team interpret the abstract words?',
      'What did the game show us about how we communicate visually?'
    ],
    array['remote', 'game', 'drawing', 'energiser', 'video-call']
  ),
  (
    'gratitude-round',
    'Gratitude Round',
    'To close a meeting or a week, each person names one thing or person they are grateful for and why. It takes only a few minutes, builds the habit of noticing good work and sends people off on a positive note.',
    'wellbeing',
    10, 3, 30,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Recognise contributions that often go unnoticed',
      'End meetings on a positive, connected note',
      'Build a habit of appreciation within the team'
    ],
    '{}'::text[],
    'Decide where the round fits in the meeting, usually the last 5-10 minutes. Think of your own example to start with, ideally a specific contribution from a colleague.',
    array[
      'Introduce the round: each person will share one thing or person they are grateful for this week, and why.',
      'Give everyone a minute of silent thinking time.',
      'Go first with a specific example, such as thanking a colleague for helping you prepare a difficult presentation.',
      'Invite everyone to share in turn, keeping each contribution to about 30-45 seconds.',
      'Let people pass if they wish, and offer them another chance at the end.',
      'Close by thanking the group, without commenting on individual contributions.'
    ],
    array[
      'Encourage specific thanks, such as ''thank you for explaining the new process to me on Tuesday'', rather than generic ones.',
      'Make it a recurring ritual, for example at the end of every weekly meeting or retrospective.',
      'In large groups, use the chat or a shared board so everyone can contribute at once.'
    ],
    array[
      'How did it feel to hear appreciation from your colleagues?',
      'What kinds of contributions do we tend to overlook?',
      'How can we make appreciation a regular part of our work?'
    ],
    array['wellbeing', 'gratitude', 'appreciation', 'closing', 'ritual', 'quick']
  ),
  (
    'walking-one-to-ones',
    'Walking One-to-Ones',
    'Two colleagues hold their regular one-to-one or catch-up while walking outside, either side by side or on a phone call while each walks in their own neighbourhood. Moving together often makes conversations more open and relaxed, and adds a dose of fresh air to the working day.',
    'wellbeing',
    30, 2, 3,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Combine regular conversations with light physical activity',
      'Create a relaxed setting for honest conversations',
      'Break up long stretches of screen time'
    ],
    array[
      'Comfortable shoes',
      'A phone and headphones for remote walks',
      'A planned walking route'
    ],
    'Agree on the topics in advance so no notes are needed during the walk. Plan a safe, quiet route of 20-30 minutes, or agree that each person will walk locally while on the phone.',
    array[
      'Propose the walking format to your colleague and agree on the date, time and route, checking that it suits you both physically.',
      'Share the topics for the conversation in advance, ideally no more than three.',
      'Start the walk with a light check-in before moving on to the main topics.',
      'Walk at a pace that is comfortable for both of you, and save sensitive topics for quieter parts of the route.',
      'Near the end of the walk, summarise what you have agreed.',
      'Within a few hours, write a short note of the agreed actions and share it.'
    ],
    array[
      'Offer an alternative for anyone for whom walking is not comfortable or accessible, such as a seated conversation outdoors.',
      'Avoid topics that need screens or documents; keep those for a desk session.',
      'Check the weather and have a backup plan.'
    ],
    array[
      'How did the conversation feel compared with a meeting-room or video one-to-one?',
      'Which topics worked well on a walk, and which did not?',
      'How often would you like to use this format?'
    ],
    array['wellbeing', 'one-to-ones', 'movement', 'outdoors', 'managers', 'pairs']
  ),
  (
    'team-energy-audit',
    'Team Energy Audit',
    'Each person lists their recurring tasks and rates how energising or draining each one is, then the team looks for patterns, swaps and changes that would make the work more sustainable. It turns vague feelings of tiredness into concrete data the team can discuss.',
    'wellbeing',
    60, 3, 12,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Identify which activities energise or drain each team member',
      'Find opportunities to redistribute or redesign work',
      'Start an open conversation about sustainable workloads'
    ],
    array[
      'Sticky notes or a digital board',
      'Markers',
      'A two-by-two grid on a whiteboard: energising to draining against low to high importance'
    ],
    'Draw a grid with ''energising to draining'' on the horizontal axis and ''low to high importance for our goals'' on the vertical axis. Ask participants to think about their typical week beforehand.',
    array[
      'Explain the purpose: to understand where our energy goes and find improvements, not to judge anyone''s workload.',
      'Give everyone 8 minutes to list their recurring tasks and meetings, one per sticky note.',
      'Ask each person to place their notes on the grid according to how energising and how important each task is.',
      'Give everyone 5 minutes to look over the whole board and note clusters, such as important but draining tasks.',
      'Look for possible swaps, where a task drains one person but energises another.',
      'Discuss the draining, low-importance quadrant: what could we stop, automate, shorten or batch?',
      'Agree on two or three experiments to try over the next few weeks, each with an owner, and set a date to review them.'
    ],
    array[
      'Let people decide how much personal detail they share; some drains may be private.',
      'Watch for one person carrying most of the draining tasks and raise it sensitively.',
      'Follow up on the experiments; an audit without any change can feel demotivating.'
    ],
    array[
      'What patterns do you see in the draining tasks?',
      'Which swaps could benefit both people involved?',
      'What will we stop or change first?',
      'How will we know if our energy levels are improving?'
    ],
    array['wellbeing', 'workload', 'energy', 'sustainability', 'retrospective']
  ),
  (
    'silent-mindful-minute',
    'Silent Mindful Minute',
    'The group spends one guided minute in silence, noticing the breath and setting distractions aside before a meeting begins. It helps people arrive mentally, softens the rush between back-to-back meetings and sharpens focus.',
    'wellbeing',
    5, 2, 200,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Help people transition between meetings and arrive mentally',
      'Reduce feelings of rush and improve focus',
      'Introduce a simple habit the team can repeat'
    ],
    array[
      'A timer or soft chime'
    ],
    'Prepare a short, neutral script of three or four sentences. Decide whether to use a chime or simply your voice to mark the start and end of the minute.',
    array[
      'Explain that the meeting will start with one minute of quiet to help everyone arrive, and that taking part is optional.',
      'Invite people to sit comfortably, put their phones down and close their eyes or lower their gaze if they wish.',
      'Start the minute with a chime or a short sentence such as ''notice your breathing, without trying to change it''.',
      'Halfway through, say softly: ''if your mind wanders, gently bring your attention back to the breath''.',
      'End the minute with the chime and invite people to open their eyes.',
      'Move straight into the meeting, or ask for a one-word check-in about how people feel.'
    ],
    array[
      'Keep the language simple and neutral, and avoid making health claims.',
      'In remote meetings, suggest that people turn off their cameras during the minute if they prefer.',
      'Consistency matters more than length; a minute at every team meeting works better than an occasional long session.'
    ],
    array[
      'How did you feel before and after the minute?',
      'Did it change how focused you were at the start of the meeting?',
      'Should we make this a regular part of our meetings?'
    ],
    array['wellbeing', 'mindfulness', 'focus', 'meetings', 'quick', 'ritual']
  ),
  (
    'rose-thorn-bud',
    'Rose, Thorn, Bud',
    'Each person shares a rose (something that went well), a thorn (something challenging) and a bud (something they are looking forward to or a new idea). A simple reflection format for check-ins and retrospectives that balances successes, difficulties and hope.',
    'wellbeing',
    20, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Create a balanced reflection on recent work or life',
      'Help people share challenges in a safe, structured way',
      'Surface opportunities and new ideas'
    ],
    array[
      'Sticky notes in three colours or a digital board with three columns',
      'Markers'
    ],
    'Set up three columns labelled Rose, Thorn and Bud. Decide the scope of the reflection, such as the past week, a project or a quarter.',
    array[
      'Explain the three categories: a rose is a success or highlight, a thorn is a challenge or frustration, and a bud is something promising or something you are looking forward to.',
      'Give everyone 5 minutes to write at least one rose, one thorn and one bud.',
      'Invite each person to share their three items in about 90 seconds while placing them on the board.',
      'Ask the group to listen without jumping in to fix the thorns straight away.',
      'When everyone has shared, look for common themes in each column.',
      'Ask whether any thorn needs support and whether any bud deserves a next step, and note any actions.'
    ],
    array[
      'Go first and share a genuine thorn to show that challenges are welcome.',
      'In personal check-ins, let people choose whether to talk about work or life outside work.',
      'Use it as a regular ritual, for example on Monday mornings or at the end of a sprint.'
    ],
    array[
      'What themes appeared in our roses, thorns and buds?',
      'Is there a thorn we can help each other with?',
      'Which bud do we want to nurture as a team?'
    ],
    array['wellbeing', 'check-in', 'reflection', 'retrospective', 'ritual']
  ),
  (
    'guided-stretch-break',
    'Guided Stretch Break',
    'A facilitator leads a gentle sequence of seated or standing stretches lasting five to ten minutes in the middle of a long meeting or workshop. It relieves stiffness, refreshes attention and reminds everyone that breaks matter.',
    'wellbeing',
    10, 2, 100,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Break up long periods of sitting',
      'Refresh energy and attention during long sessions',
      'Model healthy working habits'
    ],
    array[
      'Enough space to stand beside a chair',
      'Optional: calm background music'
    ],
    'Prepare a sequence of six to eight simple stretches that can be done seated or standing, such as shoulder rolls, neck tilts, wrist circles, seated twists, side stretches and calf raises. Practise it so you can lead it confidently at a slow pace.',
    array[
      'Announce the break and make clear that everyone moves within their own comfortable range and can skip any movement.',
      'Start with three slow, deep breaths.',
      'Lead shoulder rolls, five backwards and five forwards.',
      'Lead gentle neck tilts to each side, holding each for about 10 seconds.',
      'Lead wrist and finger stretches, which are especially welcome for people who type all day.',
      'Lead a seated twist to each side and a side stretch with one arm overhead, holding each for about 15 seconds.',
      'Finish with calf raises or a short walk on the spot for those standing, followed by two more deep breaths.',
      'Thank everyone and resume the session.'
    ],
    array[
      'Offer a seated alternative for every movement so everyone can join in.',
      'Do not give medical advice; anyone who feels discomfort should simply stop.',
      'In long workshops, schedule a stretch break every 60-90 minutes.'
    ],
    array[
      'How do you feel after the break compared with before it?',
      'How often should we build movement into long sessions?',
      'What other small habits could help us stay energised during the day?'
    ],
    array['wellbeing', 'movement', 'energiser', 'breaks', 'workshops', 'quick']
  ),
  (
    'pre-mortem',
    'Pre-mortem',
    'Before a project starts, the team imagines that it has failed badly and works backwards to list every reason why. Treating the failure as if it has already happened makes it easier to voice concerns and leads to better risk mitigation.',
    'strategy',
    60, 3, 15,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Identify project risks early',
      'Make it safe to voice doubts and concerns',
      'Create a concrete risk mitigation plan'
    ],
    array[
      'Sticky notes or a digital board',
      'Markers',
      'Dot stickers or a voting tool',
      'Timer'
    ],
    'Prepare a short summary of the project, its goals and its timeline. Write the failure scenario in advance, for example: ''It is six months from now and the project has been a complete failure.''',
    array[
      'Present the project plan briefly so everyone starts from the same understanding.',
      'Read out the failure scenario and ask everyone to imagine it vividly.',
      'Give everyone 10 minutes to silently write down every reason they can think of for the failure, one per sticky note.',
      'Go around the group, with each person sharing one reason at a time, until all reasons are on the board; cluster similar ones.',
      'Ask everyone to vote for the most likely and most damaging reasons, using three to five votes each.',
      'For the top five reasons, spend about 5 minutes each discussing how to prevent them or reduce their impact.',
      'Assign an owner to each mitigation action and add the actions to the project plan.',
      'Schedule a check-in to review these risks during the project.'
    ],
    array[
      'Encourage bold, uncomfortable reasons; the exercise only works if people speak freely.',
      'Ask the most senior person to share last so they do not anchor the group.',
      'Keep the mood constructive; the point is to protect the project, not to criticise the plan or its authors.'
    ],
    array[
      'Which risk surprised you most?',
      'What made it easier or harder to talk about possible failure?',
      'How will we keep watching for these risks as the project runs?'
    ],
    array['strategy', 'risk-management', 'planning', 'project-kickoff', 'psychological-safety']
  ),
  (
    'start-stop-continue',
    'Start, Stop, Continue Retrospective',
    'The team reflects on a recent period and sorts its observations into three lists: what we should start doing, stop doing and continue doing. One of the simplest retrospective formats, it leads directly to actionable changes.',
    'strategy',
    45, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Reflect on how the team has been working',
      'Agree on concrete improvements',
      'Reinforce practices that work well'
    ],
    array[
      'A board with three columns: Start, Stop and Continue',
      'Sticky notes',
      'Markers',
      'Dot stickers or a voting tool'
    ],
    'Set up the board and decide which period you are reviewing, such as the last sprint or quarter. Gather any useful data in advance, such as delivery dates, incidents or the actions from the previous retrospective.',
    array[
      'Open by naming the period under review and the goal: to improve how we work, not to assign blame.',
      'Review the actions from the previous retrospective and note which were completed.',
      'Give everyone 7 minutes to silently write ideas for each column, one idea per sticky note.',
      'Ask each person to read out their notes and place them on the board, grouping duplicates.',
      'Give everyone three votes to place on the items they think matter most.',
      'Discuss the top-voted items for about 5 minutes each, focusing on what would actually change.',
      'Turn the top two or three items into concrete actions with owners and deadlines.',
      'Close by reading the actions aloud and asking for a quick rating of how useful the retrospective was.'
    ],
    array[
      'Limit the number of new actions; two done well beat ten forgotten.',
      'Make sure ''continue'' gets real attention; naming what works protects it.',
      'Vary the format from time to time so retrospectives do not become routine.'
    ],
    array[
      'What is the single most important change we agreed on?',
      'Did we follow through on our actions from last time?',
      'What would make our next retrospective more useful?'
    ],
    array['strategy', 'retrospective', 'continuous-improvement', 'agile', 'feedback']
  ),
  (
    'team-canvas',
    'Team Canvas Workshop',
    'The team fills in a one-page canvas covering its purpose, goals, values, roles, rules, needs and expectations, personal goals, strengths and weaknesses. A structured way to align a new team, or reset an existing one, in about two hours.',
    'strategy',
    120, 3, 12,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Align on the team''s purpose and goals',
      'Make roles, values and working rules explicit',
      'Surface individual needs, strengths and risks'
    ],
    array[
      'A large printed canvas or a digital whiteboard template',
      'Sticky notes',
      'Markers',
      'Dot stickers or a voting tool'
    ],
    'Draw or print a canvas with these sections: people and roles, common goals, personal goals, purpose, values, needs and expectations, rules and activities, strengths and assets, and weaknesses and risks. Book at least 90 minutes, ideally two hours, including a short break.',
    array[
      'Explain the canvas and the goal of the session: to leave with a shared, written understanding of how we work together.',
      'Fill in people and roles: each person adds their name and role, taking about 5 minutes.',
      'Spend 15 minutes on common goals: individuals write suggestions, then the team clusters them and agrees on the top goals.',
      'Spend 10 minutes on personal goals, with each person sharing what they want to achieve or learn.',
      'Spend 15 minutes on purpose and values: why the team exists and the principles it wants to live by.',
      'Spend 15 minutes on needs and expectations, with each person sharing what they need from others to succeed.',
      'Spend 15 minutes on rules and activities: agree how you communicate, meet, decide and share information.',
      'Spend 15 minutes on strengths and assets, and on weaknesses and risks.',
      'Review the whole canvas, agree on any follow-up actions and decide where the canvas will be displayed and when it will be revisited.'
    ],
    array[
      'Do not rush purpose and values; they anchor the rest of the canvas.',
      'Start each section with a few minutes of silent writing so everyone contributes.',
      'Revisit the canvas every few months or whenever the team''s membership changes.'
    ],
    array[
      'What did we discover about our goals or values that surprised us?',
      'Which agreement will make the biggest difference to how we work?',
      'When should we revisit this canvas?'
    ],
    array['strategy', 'alignment', 'team-charter', 'new-teams', 'values', 'roles']
  ),
  (
    'futurespective',
    'Futurespective',
    'The team imagines itself a year from now, celebrating a successful period, describes what that success looks like and then works backwards to the steps and obstacles along the way. It builds a shared vision together with a realistic plan to reach it.',
    'strategy',
    90, 3, 20,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Create a shared vision of success',
      'Identify the steps and obstacles on the way there',
      'Build optimism and commitment'
    ],
    array[
      'A board with a timeline running from today to a future date',
      'Sticky notes in at least two colours',
      'Markers'
    ],
    'Choose the time horizon, for example twelve months. Draw a timeline with ''today'' on the left and the future date on the right, and write a short scenario of the team celebrating its success.',
    array[
      'Read the scenario aloud and ask everyone to imagine they are at the future celebration.',
      'Give everyone 8 minutes to write, in the past tense, what has been achieved by then, how the team works and how people feel, one item per sticky note.',
      'Place the notes at the far right of the timeline, cluster them and agree on a short description of the future.',
      'Ask ''What did we do to get here?'' and give everyone 10 minutes to write the key steps and place them along the timeline.',
      'Ask ''Which obstacles did we overcome?'' and have people write them on the second colour of sticky note and place them near the steps they threatened.',
      'Discuss the timeline as a group and refine the most important steps and obstacles.',
      'Agree on the first two or three actions for the coming month, each with an owner.'
    ],
    array[
      'Keep everyone speaking in the past tense (''we shipped...'', ''we learned...''); it makes the future feel concrete.',
      'Aim for a vision that is ambitious but plausible.',
      'Photograph or save the timeline and revisit it at quarterly reviews.'
    ],
    array[
      'What does success look like for us?',
      'Which obstacles worry you most, and how will we deal with them?',
      'What can we start doing this month to move towards that future?'
    ],
    array['strategy', 'vision', 'planning', 'retrospective', 'alignment']
  ),
  (
    'sailboat-retrospective',
    'Sailboat Retrospective',
    'The team draws a sailboat heading for an island and adds notes for the wind (what pushes us forward), anchors (what holds us back), rocks (risks ahead) and the island (our goal). The metaphor makes it easy to discuss progress, obstacles and risks in a single picture.',
    'strategy',
    60, 3, 15,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Reflect on what helps and what hinders the team',
      'Identify risks ahead',
      'Agree on actions that move the team towards a shared goal'
    ],
    array[
      'A large drawing of a sailboat with wind, anchors, rocks and an island, on paper or a digital board',
      'Sticky notes',
      'Markers',
      'Dot stickers or a voting tool'
    ],
    'Draw the sailboat picture and write the team''s current goal on the island. Decide which period the retrospective will cover.',
    array[
      'Explain the picture: the island is our goal, the wind is what pushes us forward, the anchors are what slow us down and the rocks are the risks ahead.',
      'Give everyone 10 minutes to write notes for each area and place them on the picture.',
      'Have everyone read out their notes briefly and cluster similar items.',
      'Discuss the wind first: what should we protect or strengthen?',
      'Discuss the anchors: which could we cut loose or lighten, and how?',
      'Discuss the rocks: which risks need a plan?',
      'Vote on the most important anchors and rocks and agree on two or three actions with owners.'
    ],
    array[
      'Starting with the wind sets a constructive tone.',
      'Make sure the island is a goal the team genuinely shares; if it is not, discuss the goal first.',
      'Keep the picture and update it at the next retrospective.'
    ],
    array[
      'What is our strongest wind right now?',
      'Which anchor would make the biggest difference if we removed it?',
      'Which rock worries you most, and what can we do about it?'
    ],
    array['strategy', 'retrospective', 'visual', 'agile', 'risks']
  ),
  (
    'impact-effort-matrix',
    'Impact/Effort Prioritisation Matrix',
    'The team places its ideas or initiatives on a two-by-two grid of expected impact against required effort, then chooses the quick wins and big bets to pursue. A simple, visual way to prioritise a long list of options together.',
    'strategy',
    45, 3, 15,
    array['remote', 'hybrid', 'onsite'],
    array[
      'Prioritise a long list of ideas as a team',
      'Make assumptions about value and cost visible',
      'Agree on what to do first and what to drop'
    ],
    array[
      'A whiteboard or digital board with a two-by-two grid',
      'Sticky notes with the ideas to prioritise',
      'Markers'
    ],
    'Gather the list of ideas or initiatives in advance, one per sticky note. Draw a grid with effort on the horizontal axis (low to high) and impact on the vertical axis (low to high), and label the quadrants quick wins, big bets, fill-ins and money pits.',
    array[
      'Explain the grid and its four quadrants, and agree what ''impact'' means for this session, such as customer value or revenue.',
      'Read out each idea briefly so everyone understands it.',
      'Place the ideas on the grid one at a time, discussing impact and effort for about a minute each; where opinions differ, use the middle position and note the disagreement.',
      'When all the ideas are placed, step back and review the grid as a whole.',
      'Choose up to three quick wins to start immediately and one or two big bets to plan in more detail.',
      'Explicitly agree which money-pit ideas to drop or park.',
      'Assign owners and next steps for the chosen ideas.'
    ],
    array[
      'Watch for optimism about effort; ask the people who will do the work to estimate it.',
      'Limit discussion time per idea so the session does not stall on one item.',
      'Revisit the grid when new information arrives; positions are not permanent.'
    ],
    array[
      'Which placements were most debated, and why?',
      'Are we comfortable dropping the ideas in the low-impact, high-effort quadrant?',
      'What new information would change our priorities?'
    ],
    array['strategy', 'prioritisation', 'decision-making', 'planning', 'visual']
  )
on conflict (slug) do update set
  title = excluded.title,
  summary = excluded.summary,
  category = excluded.category,
  duration_minutes = excluded.duration_minutes,
  min_group_size = excluded.min_group_size,
  max_group_size = excluded.max_group_size,
  work_modes = excluded.work_modes,
  objectives = excluded.objectives,
  materials = excluded.materials,
  preparation = excluded.preparation,
  steps = excluded.steps,
  facilitation_tips = excluded.facilitation_tips,
  debrief_questions = excluded.debrief_questions,
  tags = excluded.tags
-- Rows already as here are not rewritten (no dead tuples, no realtime noise on a re-run).
where (
  public_activities.title,
  public_activities.summary,
  public_activities.category,
  public_activities.duration_minutes,
  public_activities.min_group_size,
  public_activities.max_group_size,
  public_activities.work_modes,
  public_activities.objectives,
  public_activities.materials,
  public_activities.preparation,
  public_activities.steps,
  public_activities.facilitation_tips,
  public_activities.debrief_questions,
  public_activities.tags
) is distinct from (
  excluded.title,
  excluded.summary,
  excluded.category,
  excluded.duration_minutes,
  excluded.min_group_size,
  excluded.max_group_size,
  excluded.work_modes,
  excluded.objectives,
  excluded.materials,
  excluded.preparation,
  excluded.steps,
  excluded.facilitation_tips,
  excluded.debrief_questions,
  excluded.tags
);
